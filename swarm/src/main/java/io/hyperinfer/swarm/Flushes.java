package io.hyperinfer.swarm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The flushes waiting for the peers queued before them to be dialed (JS {@code _pendingFlushes}, {@code _flushTick},
 * {@code _flushMaybe}): each counts the peers and pending dials it waits for, and a peer counts only for flushes made
 * after it was queued. Bounded by the callers' flushes in flight. Confined to the swarm loop.
 */
final class Flushes {
  private record Flush(CompletableFuture<Boolean> done, int[] missing, long tick) {}

  private final List<Flush> pending = new ArrayList<>();
  private long tick;

  /** The tick a peer queued now carries. */
  long tick() {
    return tick;
  }

  CompletableFuture<Boolean> add(int missing) {
    if (missing <= 0) {
      return CompletableFuture.completedFuture(true);
    }
    Flush f = new Flush(new CompletableFuture<>(), new int[] {missing}, tick++);
    pending.add(f);
    return f.done();
  }

  /** A queued peer was dialed to an end (opened, failed, or skipped). */
  void peerSettled(PeerInfo peer) {
    for (int i = 0; i < pending.size(); i++) {
      Flush f = pending.get(i);
      if (peer.flushTick > f.tick() || --f.missing()[0] > 0) {
        continue;
      }
      f.done().complete(true);
      pending.remove(i--);
    }
  }

  void completeAll(boolean result) {
    while (!pending.isEmpty()) {
      pending.removeLast().done().complete(result);
    }
  }

  int size() {
    return pending.size();
  }
}
