package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginBackoffTest {
  private final ManualClock clock = new ManualClock();
  private final LoginBackoff backoff = new LoginBackoff(clock, 3, Duration.ofSeconds(1), Duration.ofSeconds(10));

  private AuthException locked(String account) {
    AuthException e = assertThrows(AuthException.class, () -> backoff.checkAllowed(account));
    assertEquals(AuthException.Code.TOO_MANY_ATTEMPTS, e.code());
    return e;
  }

  @Test
  void shouldAllowWhenFailuresStayWithinFreeAttempts() {
    for (int i = 0; i < 3; i++) {
      backoff.recordFailure("a");
    }
    assertDoesNotThrow(() -> backoff.checkAllowed("a"));
  }

  @Test
  void shouldLockWithRetryAfterWhenFailuresExceedFreeAttempts() {
    for (int i = 0; i < 4; i++) {
      backoff.recordFailure("a");
    }
    assertEquals(Duration.ofSeconds(1), locked("a").retryAfter().orElseThrow());
    clock.advance(Duration.ofMillis(400));
    assertEquals(Duration.ofSeconds(1), locked("a").retryAfter().orElseThrow(), "rounded up to whole seconds");
    clock.advance(Duration.ofMillis(600));
    assertDoesNotThrow(() -> backoff.checkAllowed("a"));
    assertDoesNotThrow(() -> backoff.checkAllowed("b"), "other accounts are not affected");
  }

  @Test
  void shouldDoubleDelayUpToMaximumWhenFailuresContinue() {
    assertEquals(Duration.ZERO, backoff.delayAfter(3));
    assertEquals(Duration.ofSeconds(1), backoff.delayAfter(4));
    assertEquals(Duration.ofSeconds(2), backoff.delayAfter(5));
    assertEquals(Duration.ofSeconds(8), backoff.delayAfter(7));
    assertEquals(Duration.ofSeconds(10), backoff.delayAfter(8));
    assertEquals(Duration.ofSeconds(10), backoff.delayAfter(Integer.MAX_VALUE));
  }

  @Test
  void shouldClearAccountWhenLoginSucceeds() {
    for (int i = 0; i < 5; i++) {
      backoff.recordFailure("a");
    }
    locked("a");
    backoff.recordSuccess("a");
    assertDoesNotThrow(() -> backoff.checkAllowed("a"));
  }

  @Test
  void shouldDropUnlockedEntriesWhenTrackingTooManyAccounts() {
    for (int i = 0; i < LoginBackoff.MAX_TRACKED; i++) {
      backoff.recordFailure("user" + i);
    }
    for (int i = 0; i < 4; i++) {
      backoff.recordFailure("x");
    }
    locked("x");
  }

  @Test
  void shouldRefuseConstructionWhenSettingsAreInconsistent() {
    assertThrows(IllegalArgumentException.class, () -> new LoginBackoff(clock, 0, Duration.ofSeconds(1),
        Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new LoginBackoff(clock, 1, Duration.ZERO,
        Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new LoginBackoff(clock, 1, Duration.ofSeconds(2),
        Duration.ofSeconds(1)));
  }
}
