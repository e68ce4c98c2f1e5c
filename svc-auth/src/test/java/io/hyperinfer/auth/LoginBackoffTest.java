package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.store.RangeOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginBackoffTest {
  /** 3 free per pair, 1 s doubling to 10 s; 6 free per account, 2 s doubling to 8 s; forget after 1 h; 50 records. */
  static final LoginBackoff.Settings SETTINGS = new LoginBackoff.Settings(3, Duration.ofSeconds(1),
      Duration.ofSeconds(10), 6, Duration.ofSeconds(2), Duration.ofSeconds(8), Duration.ofHours(1), 50);

  private final ManualClock clock = new ManualClock();
  private final AuthStore store = TestStores.authStore(clock);
  private LoginBackoff backoff = new LoginBackoff(clock, SETTINGS, store);

  private AuthException locked(String account, String source) {
    AuthException e = assertThrows(AuthException.class, () -> backoff.checkAllowed(account, source));
    assertEquals(AuthException.Code.TOO_MANY_ATTEMPTS, e.code());
    return e;
  }

  private void fail(String account, String source, int times) {
    for (int i = 0; i < times; i++) {
      backoff.recordFailure(account, source);
    }
  }

  @Test
  void shouldLockOnlyTheGuessingSourceWhenOneSourceKeepsFailing() {
    fail("ann", "stranger", 3);
    assertDoesNotThrow(() -> backoff.checkAllowed("ann", "stranger"));
    fail("ann", "stranger", 1);
    assertEquals(Duration.ofSeconds(1), locked("ann", "stranger").retryAfter().orElseThrow());
    assertDoesNotThrow(() -> backoff.checkAllowed("ann", "owner"), "the owner is not locked out by a stranger");
    assertDoesNotThrow(() -> backoff.checkAllowed("bob", "stranger"), "other accounts are not affected");
    clock.advance(Duration.ofMillis(400));
    assertEquals(Duration.ofSeconds(1), locked("ann", "stranger").retryAfter().orElseThrow(), "rounded up");
    clock.advance(Duration.ofMillis(600));
    assertDoesNotThrow(() -> backoff.checkAllowed("ann", "stranger"));
  }

  @Test
  void shouldSlowDownUnknownSourcesButNotKnownOnesWhenManySourcesFail() {
    backoff.recordSuccess("ann", "owner");
    for (int i = 0; i < 7; i++) {
      backoff.recordFailure("ann", "guesser-" + i); // one failure each: no pair is locked
    }
    assertEquals(Duration.ofSeconds(2), locked("ann", "newcomer").retryAfter().orElseThrow());
    assertDoesNotThrow(() -> backoff.checkAllowed("ann", "owner"), "a source that logged in before never waits");
    clock.advance(Duration.ofSeconds(2));
    assertDoesNotThrow(() -> backoff.checkAllowed("ann", "newcomer"), "a slow-down, not a lock-out");
    backoff.recordFailure("ann", "guesser-7");
    assertEquals(Duration.ofSeconds(4), locked("ann", "newcomer").retryAfter().orElseThrow());
    backoff.recordSuccess("ann", "owner");
    assertDoesNotThrow(() -> backoff.checkAllowed("ann", "newcomer"), "the owner's success clears the count");
  }

  @Test
  void shouldTrackUnknownEmailsAsAccountsWhenLoginsFail() {
    fail("ghost@example.com", "s", 4);
    assertEquals(Duration.ofSeconds(1), locked("ghost@example.com", "s").retryAfter().orElseThrow());
  }

  @Test
  void shouldKeepLocksWhenRestartedOnTheSameStore() {
    fail("ann", "stranger", 5);
    backoff.recordSuccess("ann", "owner");
    backoff = new LoginBackoff(clock, SETTINGS, store);
    assertEquals(Duration.ofSeconds(2), locked("ann", "stranger").retryAfter().orElseThrow());
    for (int i = 0; i < 7; i++) {
      backoff.recordFailure("ann", "x-" + i);
    }
    backoff = new LoginBackoff(clock, SETTINGS, store);
    assertDoesNotThrow(() -> backoff.checkAllowed("ann", "owner"), "known sources survive too");
    assertEquals(Duration.ofSeconds(2), locked("ann", "newcomer").retryAfter().orElseThrow());
  }

  @Test
  void shouldWriteNothingWhenAttemptIsRefused() {
    fail("ann", "stranger", 4);
    List<String> before = snapshot();
    locked("ann", "stranger");
    assertEquals(before, snapshot());
    assertFalse(before.toString().contains("ann"), "accounts are stored by hash");
  }

  @Test
  void shouldClearPairAndCountWhenLoginSucceeds() {
    fail("ann", "s", 5);
    locked("ann", "s");
    backoff.recordSuccess("ann", "s");
    assertDoesNotThrow(() -> backoff.checkAllowed("ann", "s"));
    int tracked = backoff.tracked();
    List<String> before = snapshot();
    backoff.recordSuccess("ann", "s");
    assertEquals(before, snapshot(), "a second success changes nothing, so writes nothing");
    assertEquals(tracked, backoff.tracked());
  }

  @Test
  void shouldForgetOldFailuresWhenTheirLockPassed() {
    fail("ann", "s", 3);
    clock.advance(Duration.ofHours(2));
    fail("ann", "s", 1);
    assertDoesNotThrow(() -> backoff.checkAllowed("ann", "s"), "counting starts again");
    backoff.recordSuccess("ann", "owner");
    fail("ann", "g", 1);
    clock.advance(Duration.ofHours(2));
    backoff.recordFailure("ann", "g");
    assertDoesNotThrow(() -> backoff.checkAllowed("ann", "owner"));
  }

  @Test
  void shouldBoundRecordsInMemoryAndStoreWhenManyPairsFail() {
    for (int i = 0; i < 100; i++) {
      backoff.recordFailure("victim-" + i, "s");
    }
    assertEquals(50, backoff.tracked());
    assertEquals(50, store.backoffRecords(1000).size());
    fail("ann", "s", 4);
    locked("ann", "s");
  }

  @Test
  void shouldRememberOnlyTheLastKnownSourcesWhenManyLogIn() {
    for (int i = 0; i < LoginBackoff.KNOWN_SOURCES + 1; i++) {
      backoff.recordSuccess("ann", "device-" + i);
    }
    for (int i = 0; i < 7; i++) {
      backoff.recordFailure("ann", "g-" + i);
    }
    locked("ann", "device-0");
    assertDoesNotThrow(() -> backoff.checkAllowed("ann", "device-" + LoginBackoff.KNOWN_SOURCES));
  }

  @Test
  void shouldDoubleDelayUpToMaximumWhenFailuresContinue() {
    Duration base = Duration.ofSeconds(1);
    Duration max = Duration.ofSeconds(10);
    assertEquals(Duration.ZERO, LoginBackoff.delayAfter(3, 3, base, max));
    assertEquals(Duration.ofSeconds(1), LoginBackoff.delayAfter(4, 3, base, max));
    assertEquals(Duration.ofSeconds(8), LoginBackoff.delayAfter(7, 3, base, max));
    assertEquals(Duration.ofSeconds(10), LoginBackoff.delayAfter(Integer.MAX_VALUE, 3, base, max));
  }

  @Test
  void shouldRefuseConstructionWhenSettingsAreInconsistent() {
    Duration s = Duration.ofSeconds(1);
    assertThrows(IllegalArgumentException.class, () -> new LoginBackoff.Settings(0, s, s, 1, s, s, s, 2));
    assertThrows(IllegalArgumentException.class, () -> new LoginBackoff.Settings(1, Duration.ZERO, s, 1, s, s, s, 2));
    assertThrows(IllegalArgumentException.class,
        () -> new LoginBackoff.Settings(1, Duration.ofSeconds(2), s, 1, s, s, s, 2));
    assertThrows(IllegalArgumentException.class, () -> new LoginBackoff.Settings(1, s, s, 0, s, s, s, 2));
    assertThrows(IllegalArgumentException.class,
        () -> new LoginBackoff.Settings(1, s, s, 1, Duration.ofSeconds(2), s, s, 2));
    assertThrows(IllegalArgumentException.class, () -> new LoginBackoff.Settings(1, s, s, 1, s, s, Duration.ZERO, 2));
    assertThrows(IllegalArgumentException.class, () -> new LoginBackoff.Settings(1, s, s, 1, s, s, s, 1));
    assertTrue(new LoginBackoff.Settings(1, s, s, 1, s, s, s, 2).maxTracked() == 2);
  }

  private List<String> snapshot() {
    return store.backoffRecords(1000).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }
}
