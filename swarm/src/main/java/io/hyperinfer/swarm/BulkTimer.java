package io.hyperinfer.swarm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Batches retries on one period (JS {@code lib/bulk-timer.js}): a tick every {@code floor(0.66 * time)} ms hands the
 * peers added before the previous tick to the callback, so each waits between 0.66 and 1.32 times {@code time}. Time
 * is passed in. Unlike JS's endless interval, the ticks stop while nothing waits and restart with the next add.
 * Confined to the swarm loop.
 */
final class BulkTimer {
  private final long periodMs;
  private final Consumer<List<PeerInfo>> onDue;
  private List<PeerInfo> next = new ArrayList<>();
  private List<PeerInfo> pending = new ArrayList<>();
  private long nextTickMs = Long.MAX_VALUE;
  private boolean destroyed;

  BulkTimer(long timeMs, Consumer<List<PeerInfo>> onDue) {
    this.periodMs = Math.max(1, (long) Math.floor(timeMs * 0.66));
    this.onDue = onDue;
  }

  long periodMs() {
    return periodMs;
  }

  void add(PeerInfo peer, long nowMs) {
    if (destroyed) {
      return;
    }
    if (nextTickMs == Long.MAX_VALUE) {
      nextTickMs = nowMs + periodMs;
    }
    pending.add(peer);
  }

  /** When the next tick is due; {@link Long#MAX_VALUE} when idle. */
  long deadlineMs() {
    return nextTickMs;
  }

  void tick(long nowMs) {
    while (nextTickMs <= nowMs) {
      List<PeerInfo> due = next;
      next = pending;
      pending = new ArrayList<>();
      nextTickMs = next.isEmpty() ? Long.MAX_VALUE : nextTickMs + periodMs;
      if (!due.isEmpty()) {
        onDue.accept(due);
      }
    }
  }

  void destroy() {
    destroyed = true;
    nextTickMs = Long.MAX_VALUE;
    next = new ArrayList<>();
    pending = new ArrayList<>();
  }
}
