package io.hyperinfer.hyperdht;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts silent drops by reason. Thread-safe: the node loop counts, any thread may read (for stats).
 */
public final class DropCounter {
  private final AtomicLongArray counts = new AtomicLongArray(DropReason.values().length);

  /** Counts one drop and returns the outcome that stands for it. */
  Outcome.Drop drop(DropReason reason) {
    counts.incrementAndGet(reason.ordinal());
    return new Outcome.Drop(reason);
  }

  /** Drops counted for {@code reason}. */
  public long count(DropReason reason) {
    return counts.get(reason.ordinal());
  }

  /** Drops counted for all reasons. */
  public long total() {
    long sum = 0;
    for (int i = 0; i < counts.length(); i++) {
      sum += counts.get(i);
    }
    return sum;
  }

  /** A snapshot of the non-zero counts. */
  public Map<DropReason, Long> snapshot() {
    Map<DropReason, Long> out = new EnumMap<>(DropReason.class);
    for (DropReason r : DropReason.values()) {
      long n = counts.get(r.ordinal());
      if (n > 0) {
        out.put(r, n);
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
