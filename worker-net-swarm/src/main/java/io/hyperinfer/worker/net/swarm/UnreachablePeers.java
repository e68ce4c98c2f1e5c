package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.worker.net.PeerRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Peers a connect recently failed to reach, so a lookup can put them aside: a crashed announcer's records stay on the
 * DHT for 13 to 27 minutes, and each attempt to reach it costs a whole connect deadline. A peer stays here for
 * {@link #HOLD} after its last failure, or until a connection with it opens; at most {@link #MAX_PEERS}, the oldest
 * failure dropped first. Lookups only prefer reachable peers: when every announcer is listed here they are all
 * returned, so a lone announcer that restarted is still tried. Thread-safe.
 */
final class UnreachablePeers {
  /** How long a failed peer is put aside. */
  static final Duration HOLD = Duration.ofSeconds(60);
  /** Peers remembered at most. */
  static final int MAX_PEERS = 1024;

  private final Clock clock;
  private final Map<PeerRef, Instant> failed = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<PeerRef, Instant> eldest) {
      return size() > MAX_PEERS;
    }
  };

  UnreachablePeers(Clock clock) {
    this.clock = clock;
  }

  /** A connect to {@code peer} failed now. */
  synchronized void failed(PeerRef peer) {
    failed.remove(peer);
    failed.put(peer, clock.instant().plus(HOLD));
  }

  /** A connection with {@code peer} opened, or it answered. */
  synchronized void reached(PeerRef peer) {
    failed.remove(peer);
  }

  synchronized boolean isHeld(PeerRef peer) {
    Instant until = failed.get(peer);
    if (until == null) {
      return false;
    }
    if (!clock.instant().isBefore(until)) {
      failed.remove(peer);
      return false;
    }
    return true;
  }

  /** {@code peers} without those put aside, or all of them when none is left. */
  List<PeerRef> prefer(List<PeerRef> peers) {
    List<PeerRef> reachable = peers.stream().filter(p -> !isHeld(p)).toList();
    return reachable.isEmpty() ? peers : reachable;
  }
}
