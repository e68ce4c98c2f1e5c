package io.hyperinfer.hyperdht.cache;

import java.time.Duration;
import java.time.InstantSource;

/**
 * The garbage-collection timer shared by record-cache and xache, on an injected clock: a tick every
 * {@code ceil(2/3 · maxAge)} ms from construction, where a tick rotates the generations unless a size-triggered
 * rotation happened since the previous tick. JS runs the ticks from {@code setInterval}; here they are applied lazily,
 * before each operation, which no caller can tell apart because the caches are only observed through operations.
 * Not thread-safe: confined to the cache that owns it.
 */
final class GcSchedule {
  /** Ticks beyond this many in one catch-up change nothing: two rotations already emptied both generations. */
  private static final int MAX_EFFECTIVE_TICKS = 3;

  private final InstantSource clock;
  private final long tickMillis;
  private long nextTick;
  private boolean rotatedSinceTick;

  GcSchedule(Duration maxAge, InstantSource clock) {
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must not be negative: " + maxAge);
    }
    this.clock = clock;
    long maxAgeMillis = maxAge.toMillis();
    // Same double arithmetic as JS Math.ceil(2 / 3 * maxAge), so the tick lands on the same millisecond.
    this.tickMillis = maxAgeMillis == 0 ? 0 : (long) Math.ceil(2.0 / 3 * maxAgeMillis);
    this.nextTick = tickMillis == 0 ? Long.MAX_VALUE : clock.millis() + tickMillis;
  }

  /** The interval between ticks in milliseconds; 0 when entries never expire. */
  long tickMillis() {
    return tickMillis;
  }

  /** Runs {@code rotate} once for every rotation the ticks due by now call for. */
  void runDue(Runnable rotate) {
    for (int i = dueRotations(); i > 0; i--) {
      rotate.run();
    }
  }

  /** How many rotations the ticks due by now call for. */
  int dueRotations() {
    long now = clock.millis();
    if (now < nextTick) {
      return 0;
    }
    long due = (now - nextTick) / tickMillis + 1;
    nextTick += due * tickMillis;
    int rotations = 0;
    for (long i = 0; i < Math.min(due, MAX_EFFECTIVE_TICKS); i++) {
      if (!rotatedSinceTick) {
        rotations++;
      }
      rotatedSinceTick = false;
    }
    return rotations;
  }

  /** A rotation happened outside a tick (the cache filled up); the next tick skips its rotation, as in JS. */
  void rotatedBySize() {
    rotatedSinceTick = true;
  }
}
