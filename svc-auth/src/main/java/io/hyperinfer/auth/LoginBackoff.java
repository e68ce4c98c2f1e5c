package io.hyperinfer.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-account backoff after failed logins: the first {@code freeAttempts} failures cost nothing; each failure after
 * that locks the account for {@code baseDelay * 2^(extra failures - 1)}, capped at {@code maxDelay}. A success clears
 * the account. Driven only by the injected clock. Thread-safe.
 */
final class LoginBackoff {
  /** Failures kept in memory; beyond this the oldest-unlocked entries are dropped first. */
  static final int MAX_TRACKED = 100_000;

  private record Failures(int count, Instant lockedUntil) {}

  private final Clock clock;
  private final int freeAttempts;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  LoginBackoff(Clock clock, int freeAttempts, Duration baseDelay, Duration maxDelay) {
    if (freeAttempts < 1 || baseDelay.isNegative() || baseDelay.isZero() || maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException("backoff needs freeAttempts >= 1 and 0 < baseDelay <= maxDelay");
    }
    this.clock = clock;
    this.freeAttempts = freeAttempts;
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
  }

  /** Throws {@link AuthException.Code#TOO_MANY_ATTEMPTS} with the remaining wait while {@code account} is locked. */
  void checkAllowed(String account) {
    Failures current = failures.get(account);
    if (current == null) {
      return;
    }
    Instant now = clock.instant();
    if (now.isBefore(current.lockedUntil())) {
      long waitMillis = Duration.between(now, current.lockedUntil()).toMillis();
      throw AuthException.tooManyAttempts(Duration.ofSeconds((waitMillis + 999) / 1000));
    }
  }

  void recordFailure(String account) {
    if (failures.size() >= MAX_TRACKED) {
      Instant now = clock.instant();
      failures.values().removeIf(f -> !now.isBefore(f.lockedUntil()));
    }
    failures.compute(account, (key, previous) -> {
      int count = previous == null ? 1 : previous.count() + 1;
      return new Failures(count, clock.instant().plus(delayAfter(count)));
    });
  }

  void recordSuccess(String account) {
    failures.remove(account);
  }

  Duration delayAfter(int failureCount) {
    int extra = failureCount - freeAttempts;
    if (extra <= 0) {
      return Duration.ZERO;
    }
    int shift = Math.min(extra - 1, 30);
    Duration delay = baseDelay.multipliedBy(1L << shift);
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }
}
