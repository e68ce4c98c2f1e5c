package io.hyperinfer.worker.net.memory;

import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.spi.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One process's in-memory network, for unit and integration tests only: the mock DHT (topic announcements with a TTL,
 * {@link MemoryDiscovery}) and the mock transport between the {@link MemoryTransport}s attached to it. It proves no
 * key: a peer is whoever attached under it. Every fault decision for a message is drawn from a generator seeded by the
 * network seed, the message id and the frame number, so a run repeats exactly under the same seed however the handler
 * threads interleave (message ids follow the order requests are made): latency (uniform in [min, max]), request drops
 * (the request or event vanishes; the caller times out), request failures (the caller gets ERR_PEER_UNAVAILABLE) and
 * failed peers (unreachable, their connections reported lost). What travels back on a request's connection (the
 * response, stream chunks) is never dropped, only delayed, as on a real stream transport. Thread-safe.
 */
public final class MemoryNetwork {
  /** Default lifetime of an announcement without a refresh, as HyperDHT records. */
  public static final Duration DEFAULT_ANNOUNCE_TTL = Duration.ofMinutes(20);

  private final Scheduler scheduler;
  private final long seed;
  private final Map<PeerRef, MemoryTransport> peers = new ConcurrentHashMap<>();
  private final Set<PeerRef> failed = ConcurrentHashMap.newKeySet();
  private final Map<String, Map<PeerRef, Instant>> topics = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final MemoryRosters rosters = new MemoryRosters();
  private volatile Duration minLatency = Duration.ZERO;
  private volatile Duration maxLatency = Duration.ZERO;
  private volatile double dropRate;
  private volatile double failureRate;
  private volatile Duration announceTtl = DEFAULT_ANNOUNCE_TTL;

  /** Real time, seed 0, no faults. */
  public MemoryNetwork() {
    this(Scheduler.system(), 0L);
  }

  public MemoryNetwork(Scheduler scheduler, long seed) {
    this.scheduler = scheduler;
    this.seed = seed;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public Clock clock() {
    return scheduler.clock();
  }

  /** Every message is delayed by a duration drawn uniformly from [min, max]. */
  public void setLatency(Duration min, Duration max) {
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("latency needs 0 <= min <= max");
    }
    minLatency = min;
    maxLatency = max;
  }

  /** Probability that a request or event silently vanishes. */
  public void setDropRate(double rate) {
    dropRate = checkRate(rate);
  }

  /** Probability that a request fails at once with ERR_PEER_UNAVAILABLE, as a failed connection would. */
  public void setFailureRate(double rate) {
    failureRate = checkRate(rate);
  }

  public void setAnnounceTtl(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("announce TTL must be positive");
    }
    announceTtl = ttl;
  }

  public Duration announceTtl() {
    return announceTtl;
  }

  /** Crashes a peer: it becomes unreachable and every peer that talked to it hears the connection is lost. */
  public void failPeer(byte[] publicKey) {
    PeerRef peer = new PeerRef(publicKey);
    if (failed.add(peer)) {
      connectionLost(peer);
    }
  }

  /** Brings a failed peer back. */
  public void recoverPeer(byte[] publicKey) {
    failed.remove(new PeerRef(publicKey));
  }

  public boolean isReachable(PeerRef peer) {
    return peers.containsKey(peer) && !failed.contains(peer);
  }

  /** Peers currently attached (started facilities), in no particular order. */
  public List<PeerRef> attachedPeers() {
    return List.copyOf(peers.keySet());
  }

  /** The networks' rosters on this net (what HyperDHT keeps as mutable records on a real one). */
  public MemoryRosters rosters() {
    return rosters;
  }

  /** Requests and events the injected drop rate made vanish so far. */
  public long dropped() {
    return dropped.get();
  }

  void attach(PeerRef peer, MemoryTransport transport) {
    if (peers.putIfAbsent(peer, transport) != null) {
      throw new IllegalStateException("a peer with key " + peer.hex() + " is already on this network");
    }
  }

  void detach(PeerRef peer) {
    peers.remove(peer);
    connectionLost(peer);
  }

  long nextId() {
    return ids.incrementAndGet();
  }

  /**
   * Routes a request-like message (request, event, stream open): may be dropped or failed by injection, then arrives
   * after the drawn latency, or reports the target unreachable to {@code onUnreachable}.
   */
  void sendRequest(PeerRef from, PeerRef to, long id, Consumer<MemoryTransport> onArrive, Runnable onUnreachable) {
    SplittableRandom draw = draw(id, -1);
    Fate fate = drawFate(draw);
    if (fate == Fate.DROP) {
      dropped.incrementAndGet();
      return;
    }
    later(drawLatency(draw), () -> {
      MemoryTransport target = peers.get(to);
      if (fate == Fate.FAIL || target == null || failed.contains(to) || failed.contains(from)) {
        onUnreachable.run();
      } else {
        onArrive.accept(target);
      }
    });
  }

  /** Routes what goes back on a request's connection: never dropped, delivered only while both ends are up. */
  void sendReply(PeerRef from, PeerRef to, long id, long frame, Consumer<MemoryTransport> onArrive) {
    Duration delay = drawLatency(draw(id, frame));
    later(delay, () -> {
      MemoryTransport target = peers.get(to);
      if (target != null && !failed.contains(to) && !failed.contains(from)) {
        onArrive.accept(target);
      }
    });
  }

  void announce(byte[] topic, PeerRef peer) {
    topics.computeIfAbsent(key(topic), k -> new ConcurrentHashMap<>()).put(peer, clock().instant());
  }

  void unannounce(byte[] topic, PeerRef peer) {
    Map<PeerRef, Instant> announcers = topics.get(key(topic));
    if (announcers != null) {
      announcers.remove(peer);
    }
  }

  /** Announcers whose record has not expired, oldest announcement first (ties by key) for a stable order. */
  List<PeerRef> lookup(byte[] topic) {
    Map<PeerRef, Instant> announcers = topics.getOrDefault(key(topic), Map.of());
    Instant now = clock().instant();
    Map<PeerRef, Instant> live = new LinkedHashMap<>();
    announcers.entrySet().stream()
        .filter(e -> e.getValue().plus(announceTtl).isAfter(now))
        .sorted(Map.Entry.<PeerRef, Instant>comparingByValue().thenComparing(e -> e.getKey().hex()))
        .forEach(e -> live.put(e.getKey(), e.getValue()));
    return new ArrayList<>(live.keySet());
  }

  private void connectionLost(PeerRef peer) {
    for (MemoryTransport t : peers.values()) {
      t.peerLost(peer);
    }
  }

  private void later(Duration delay, Runnable task) {
    if (delay.isZero()) {
      task.run();
    } else {
      scheduler.schedule(delay, task);
    }
  }

  private enum Fate { DROP, FAIL, DELIVER }

  private SplittableRandom draw(long id, long frame) {
    return new SplittableRandom(seed ^ (id * 0x9E3779B97F4A7C15L) ^ ((frame + 2) * 0xC2B2AE3D27D4EB4FL));
  }

  private Fate drawFate(SplittableRandom draw) {
    if (draw.nextDouble() < dropRate) {
      return Fate.DROP;
    }
    return draw.nextDouble() < failureRate ? Fate.FAIL : Fate.DELIVER;
  }

  private Duration drawLatency(SplittableRandom draw) {
    Duration min = minLatency;
    long span = maxLatency.toNanos() - min.toNanos();
    return min.plusNanos(span == 0 ? 0 : draw.nextLong(span + 1));
  }

  private static double checkRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("rate must be within [0, 1]");
    }
    return rate;
  }

  private static String key(byte[] topic) {
    return HexFormat.of().formatHex(topic);
  }
}
