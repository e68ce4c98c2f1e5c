package io.hyperinfer.worker.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.throttle.KeyedRateLimiter.Rate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyedRateLimiterTest {
  private final ManualClock clock = new ManualClock();
  private final KeyedRateLimiter<String> limiter =
      new KeyedRateLimiter<>(new Rate(3, Duration.ofSeconds(10)), 4, clock);

  @Test
  void shouldAdmitBurstThenRefuseWithWaitWhenBucketIsEmpty() {
    for (int i = 0; i < 3; i++) {
      assertTrue(limiter.tryAcquire("a").allowed());
    }
    KeyedRateLimiter.Decision refused = limiter.tryAcquire("a");
    assertFalse(refused.allowed());
    assertEquals(Duration.ofSeconds(10), refused.retryAfter());
    clock.advance(Duration.ofSeconds(4));
    assertEquals(Duration.ofSeconds(6), limiter.tryAcquire("a").retryAfter(), "a refusal takes nothing");
    assertFalse(limiter.wouldAllow("a"));
    assertTrue(limiter.tryAcquire("b").allowed(), "other keys have their own bucket");
    clock.advance(Duration.ofSeconds(6));
    assertTrue(limiter.wouldAllow("a"));
    assertTrue(limiter.tryAcquire("a").allowed());
    assertFalse(limiter.tryAcquire("a").allowed());
  }

  @Test
  void shouldRefillOnlyUpToBurstWhenKeyWasQuietLong() {
    limiter.tryAcquire("a");
    clock.advance(Duration.ofDays(365));
    for (int i = 0; i < 3; i++) {
      assertTrue(limiter.tryAcquire("a").allowed());
    }
    assertFalse(limiter.tryAcquire("a").allowed());
  }

  @Test
  void shouldDropLeastRecentlyUsedKeyWhenMoreKeysThanCap() {
    for (int i = 0; i < 3; i++) {
      limiter.tryAcquire("old");
    }
    for (int i = 0; i < 4; i++) {
      limiter.tryAcquire("k" + i);
    }
    assertEquals(4, limiter.size());
    assertEquals(1, limiter.evictions());
    assertTrue(limiter.wouldAllow("old"), "dropped: it starts with a full bucket");
    assertTrue(limiter.wouldAllow("nobody"));
  }

  @Test
  void shouldNotRefillWhenClockGoesBackwards() {
    long[] now = {1_000_000};
    java.time.Clock stepping = new java.time.Clock() {
      @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
      @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public java.time.Instant instant() { return java.time.Instant.ofEpochMilli(now[0]); }
    };
    KeyedRateLimiter<String> l = new KeyedRateLimiter<>(new Rate(1, Duration.ofSeconds(10)), 4, stepping);
    assertTrue(l.tryAcquire("a").allowed());
    now[0] -= 30_000;
    assertFalse(l.tryAcquire("a").allowed());
    now[0] += 30_000 + 9_999;
    assertFalse(l.tryAcquire("a").allowed(), "the step back gave nothing");
    now[0] += 1;
    assertTrue(l.tryAcquire("a").allowed());
  }

  @Test
  void shouldRefuseConstructionWhenShapeIsInvalid() {
    assertThrows(IllegalArgumentException.class, () -> new Rate(0, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new Rate(1, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new KeyedRateLimiter<>(new Rate(1, Duration.ofSeconds(1)), 0,
        clock));
    assertEquals(3, limiter.rate().burst());
  }
}
