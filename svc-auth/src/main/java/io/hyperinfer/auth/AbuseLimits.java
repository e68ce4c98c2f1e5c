package io.hyperinfer.auth;

import io.hyperinfer.worker.throttle.KeyedRateLimiter.Rate;
import java.time.Duration;

/**
 * Auth's bounds against guessing, enumeration and floods, besides the per-pair backoff in {@link AuthSettings}
 * (config keys in the module README; every bound is listed in the repo's SECURITY.md). Immutable.
 *
 * @param accountFreeAttempts different sources failing to log in to one account before sources that never logged in
 *     to it are slowed down
 * @param accountBase first wait of that slow-down; doubles per further failing source
 * @param accountMax longest wait of that slow-down
 * @param forgetAfter failures this old, once their lock has passed, are forgotten
 * @param maxTracked backoff records kept, in memory and in the store (least recently used dropped first)
 * @param login login attempts per source: a burst, then one per interval
 * @param register registrations per source: a burst, then one per interval
 * @param maxThrottledKeys sources whose login and register buckets are kept (least recently used dropped first)
 */
public record AbuseLimits(int accountFreeAttempts, Duration accountBase, Duration accountMax, Duration forgetAfter,
    int maxTracked, Rate login, Rate register, int maxThrottledKeys) {
  /** 20 failing sources per account, then 1 s doubling to 1 min; 20 logins then 1 per 3 s; 10 registrations then 1/min. */
  public static final AbuseLimits DEFAULT = new AbuseLimits(20, Duration.ofSeconds(1), Duration.ofMinutes(1),
      Duration.ofHours(24), 100_000, new Rate(20, Duration.ofSeconds(3)), new Rate(10, Duration.ofMinutes(1)),
      100_000);

  public AbuseLimits {
    if (accountFreeAttempts < 1 || maxTracked < 2 || maxThrottledKeys < 1 || accountBase.isNegative()
        || accountBase.isZero() || accountMax.compareTo(accountBase) < 0 || forgetAfter.isNegative()
        || forgetAfter.isZero()) {
      throw new IllegalArgumentException("abuse limits need positive counts and 0 < accountBase <= accountMax");
    }
  }

  /** These limits with other login and register rates. */
  public AbuseLimits withRates(Rate newLogin, Rate newRegister) {
    return new AbuseLimits(accountFreeAttempts, accountBase, accountMax, forgetAfter, maxTracked, newLogin,
        newRegister, maxThrottledKeys);
  }
}
