package io.hyperinfer.gateway.limit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.gateway.GatewayException;
import io.hyperinfer.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final RateLimiter limiter = new RateLimiter(clock);

  @Test
  void shouldRejectWithRetryAfterWhenRequestsPerMinuteExceeded() {
    Limits limits = new Limits(2, 0, 0, 0);
    limiter.admit("k", "u", limits, 1, 0).close();
    limiter.admit("k", "u", limits, 1, 0).close();
    GatewayException e = assertThrows(GatewayException.class, () -> limiter.admit("k", "u", limits, 1, 0));
    assertEquals(GatewayException.Code.RATE_LIMITED, e.code());
    assertEquals("ERR_RATE_LIMITED", e.wireCode());
    assertEquals("requestsPerMinute", e.details().get("limit"));
    assertEquals(30_000L, e.details().get("retryAfterMs"));
    clock.advance(Duration.ofSeconds(30));
    assertDoesNotThrow(() -> limiter.admit("k", "u", limits, 1, 0).close());
  }

  @Test
  void shouldAdmitEverythingWhenLimitsAreZero() {
    Limits none = new Limits(0, 0, 0, 0);
    for (int i = 0; i < 1000; i++) {
      limiter.admit("k", "u", none, 1000, 0);
    }
    assertEquals(1000, limiter.inFlight("k"));
  }

  @Test
  void shouldKeepKeysApartWhenCounting() {
    Limits limits = new Limits(1, 0, 0, 0);
    limiter.admit("a", "u", limits, 1, 0).close();
    assertDoesNotThrow(() -> limiter.admit("b", "u", limits, 1, 0).close());
    assertThrows(GatewayException.class, () -> limiter.admit("a", "u", limits, 1, 0));
  }

  @Test
  void shouldHoldConcurrencySlotUntilStreamEnds() {
    Limits limits = new Limits(0, 0, 1, 0);
    RateLimiter.Permit first = limiter.admit("k", "u", limits, 1, 0);
    GatewayException e = assertThrows(GatewayException.class, () -> limiter.admit("k", "u", limits, 1, 0));
    assertEquals("concurrency", e.details().get("limit"));
    assertEquals(1, limiter.inFlight("k"));
    first.complete(5);
    first.complete(5);
    assertEquals(0, limiter.inFlight("k"));
    assertDoesNotThrow(() -> limiter.admit("k", "u", limits, 1, 0).close());
  }

  @Test
  void shouldChargeRealTokensWhenRequestCompletes() {
    Limits limits = new Limits(0, 100, 0, 0);
    limiter.admit("k", "u", limits, 10, 0).complete(100);
    GatewayException e = assertThrows(GatewayException.class, () -> limiter.admit("k", "u", limits, 10, 0));
    assertEquals("tokensPerMinute", e.details().get("limit"));
    assertEquals(6_000L, e.details().get("retryAfterMs"));
  }

  @Test
  void shouldGiveBackOverEstimateWhenAnswerIsShort() {
    Limits limits = new Limits(0, 100, 0, 0);
    limiter.admit("k", "u", limits, 90, 0).complete(10);
    assertDoesNotThrow(() -> limiter.admit("k", "u", limits, 90, 0).close());
  }

  @Test
  void shouldCountFailedRequestsWhenTheyWereAdmitted() {
    Limits limits = new Limits(1, 0, 0, 0);
    RateLimiter.Permit failed = limiter.admit("k", "u", limits, 1, 0);
    failed.complete(0);
    assertThrows(GatewayException.class, () -> limiter.admit("k", "u", limits, 1, 0));
  }

  @Test
  void shouldRejectWhenDailyQuotaUsedAndResetAtMidnight() {
    Limits limits = new Limits(0, 0, 0, 100);
    limiter.admit("k", "u", limits, 60, 0).complete(60);
    GatewayException e = assertThrows(GatewayException.class, () -> limiter.admit("k2", "u", limits, 60, 0));
    assertEquals("ERR_QUOTA_EXCEEDED", e.wireCode());
    assertEquals(Duration.ofHours(14).toMillis(), e.details().get("retryAfterMs"));
    assertThrows(GatewayException.class, () -> limiter.admit("k", "other", limits, 60, 80));
    clock.advance(Duration.ofHours(14));
    assertDoesNotThrow(() -> limiter.admit("k", "u", limits, 60, 0).close());
  }

  @Test
  void shouldReadLimitsFromJsonOverDefaults() throws Exception {
    var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"requestsPerMinute\":5}");
    assertEquals(new Limits(5, 100_000, 4, 1_000_000), Limits.from(node, Limits.DEFAULT));
    assertEquals(Limits.DEFAULT, Limits.from(null, Limits.DEFAULT));
    var zero = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"requestsPerMinute\":0}");
    assertEquals(Limits.DEFAULT, Limits.from(zero, Limits.DEFAULT), "a key's 0 means: not set");
    assertEquals(new Limits(0, 100_000, 4, 1_000_000), Limits.fromConfig(zero, Limits.DEFAULT), "config 0: unlimited");
    assertEquals(Limits.DEFAULT, Limits.fromConfig(null, Limits.DEFAULT));
  }
}
