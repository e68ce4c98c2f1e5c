package io.hyperinfer.auth;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.PasswordHash;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.store.MemoryStoreFacility;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;

/** RAM stores and test settings for the auth unit tests. */
final class TestStores {
  private TestStores() {}

  static MemoryStoreFacility started(Clock clock) {
    MemoryStoreFacility store = new MemoryStoreFacility();
    store.start(new FacilityContext(new WorkerContext("auth", "test", "t1"), Config.empty(), clock,
        new SimpleMeterRegistry(), Ed25519::generate));
    return store;
  }

  static AuthStore authStore(Clock clock) {
    return new AuthStore(started(clock).bee(AuthStore.BEE));
  }

  /**
   * Production settings but the cheapest hashing, a quick backoff (3 free attempts per source, then 1 s doubling to
   * 8 s; 6 per account, then 1 s doubling to 4 s) and throttles loose enough not to get in the way of other tests.
   */
  static AuthSettings settings() {
    AuthSettings d = AuthSettings.defaults();
    AbuseLimits abuse = new AbuseLimits(6, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(4),
        java.time.Duration.ofHours(1), 1000, LOOSE, LOOSE, 1000);
    return new AuthSettings(PasswordHash.MINIMUM_FOR_TESTS, d.policy(), d.sessionTtl(), 3,
        java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(8), java.util.Set.of("root@example.com"),
        java.util.Set.of(), d.topic(), 3, 2, abuse);
  }

  static final io.hyperinfer.worker.throttle.KeyedRateLimiter.Rate LOOSE =
      new io.hyperinfer.worker.throttle.KeyedRateLimiter.Rate(10_000, java.time.Duration.ofMillis(1));
}
