package io.hyperinfer.hyperdht;

/**
 * A node's throttle on punches involving a randomising NAT ({@code index.js} {@code _randomPunches},
 * {@code _randomPunchLimit}, {@code _lastRandomPunch}, {@code _randomPunchInterval}): such a punch sprays hundreds of
 * sockets or thousands of probes, so at most {@link #LIMIT} runs at a time and a new one waits
 * {@code intervalMs} after the last one connected. Peers that are throttled answer or wait with TRY_LATER. I/O-free,
 * time passed in; thread-safe.
 */
final class RandomPunches {
  /** Random punches at a time (JS: one, "for extra safety"). */
  static final int LIMIT = 1;
  /** JS {@code randomPunchInterval} default. */
  static final long DEFAULT_INTERVAL_MS = 20_000;

  private final long intervalMs;
  private int running;
  private long lastMs;

  /**
   * @param intervalMs the pause after a random punch connected
   * @param deferredFromMs when set (not {@code Long.MIN_VALUE}), the first random punch also waits the interval from
   *     this time (JS {@code deferRandomPunch})
   */
  RandomPunches(long intervalMs, long deferredFromMs) {
    if (intervalMs < 0) {
      throw new IllegalArgumentException("the interval is not negative");
    }
    this.intervalMs = intervalMs;
    this.lastMs = deferredFromMs == Long.MIN_VALUE ? Long.MIN_VALUE / 2 : deferredFromMs;
  }

  /** Whether a random punch may start now. */
  synchronized boolean allowed(long nowMs) {
    return running < LIMIT && nowMs - lastMs >= intervalMs;
  }

  /** A random punch started (or a client commits to one). */
  synchronized void begin() {
    running++;
  }

  /**
   * A random punch ended. A puncher's own punch starts the pause ({@code stamp}, JS {@code _decrementRandomized});
   * a client's commitment around its punching round does not.
   */
  synchronized void end(long nowMs, boolean stamp) {
    running = Math.max(0, running - 1);
    if (stamp) {
      lastMs = nowMs;
    }
  }

  synchronized int running() {
    return running;
  }
}
