package io.hyperinfer.hyperdht;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Counts silent drops by reason. Not thread-safe: confined to the DHT node loop, like the roles that feed it. */
public final class DropCounter {
  private final long[] counts = new long[DropReason.values().length];

  /** Counts one drop and returns the outcome that stands for it. */
  Outcome.Drop drop(DropReason reason) {
    counts[reason.ordinal()]++;
    return new Outcome.Drop(reason);
  }

  /** Drops counted for {@code reason}. */
  public long count(DropReason reason) {
    return counts[reason.ordinal()];
  }

  /** Drops counted for all reasons. */
  public long total() {
    long sum = 0;
    for (long c : counts) {
      sum += c;
    }
    return sum;
  }

  /** A snapshot of the non-zero counts. */
  public Map<DropReason, Long> snapshot() {
    Map<DropReason, Long> out = new EnumMap<>(DropReason.class);
    for (DropReason r : DropReason.values()) {
      if (counts[r.ordinal()] > 0) {
        out.put(r, counts[r.ordinal()]);
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
