package io.hyperinfer.gateway.limit;

/**
 * A token bucket refilled continuously at {@code perMinute} per minute up to {@code perMinute}. It may go negative when
 * a charge made after the fact (tokens of a finished answer) exceeds what is left, which delays the next admission.
 * Not thread-safe: {@link RateLimiter} guards it.
 */
final class TokenBucket {
  private static final long NANOS_PER_MINUTE = 60_000_000_000L;

  private final long capacity;
  private double level;
  private long lastNanos;

  TokenBucket(long perMinute, long nowNanos) {
    this.capacity = perMinute;
    this.level = perMinute;
    this.lastNanos = nowNanos;
  }

  private void refill(long nowNanos) {
    long elapsed = Math.max(0, nowNanos - lastNanos);
    level = Math.min(capacity, level + (double) elapsed * capacity / NANOS_PER_MINUTE);
    lastNanos = nowNanos;
  }

  /** Milliseconds until {@code amount} is available, 0 when it is now. */
  long waitMillis(long amount, long nowNanos) {
    refill(nowNanos);
    double missing = Math.min(amount, capacity) - level;
    if (missing <= 0) {
      return 0;
    }
    return (long) Math.ceil(missing * NANOS_PER_MINUTE / capacity / 1_000_000.0);
  }

  void take(long amount, long nowNanos) {
    refill(nowNanos);
    level -= amount;
  }

  /** Gives back part of an earlier take (an estimate that turned out too high). */
  void giveBack(long amount) {
    level = Math.min(capacity, level + amount);
  }

  boolean isFull(long nowNanos) {
    refill(nowNanos);
    return level >= capacity;
  }
}
