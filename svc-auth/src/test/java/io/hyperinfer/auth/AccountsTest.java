package io.hyperinfer.auth;

import io.hyperinfer.contract.session.SessionClaims;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.PasswordHash;
import io.hyperinfer.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AccountsTest {
  private static final String PASSWORD = "correct-Horse-7";

  private final ManualClock clock = new ManualClock();
  private final AuthStore store = TestStores.authStore(clock);
  private final Accounts accounts = new Accounts(store, TestStores.settings(), clock);

  private static AuthException.Code code(Executable call) {
    return assertThrows(AuthException.class, call).code();
  }

  @Test
  void shouldRegisterUserWhenValidDataProvided() {
    User user = accounts.register(" Ann@Example.COM", PASSWORD);
    assertEquals("ann@example.com", user.email());
    assertEquals(Set.of(Role.USER), user.roles());
    assertEquals(32, user.id().length());
    assertEquals(clock.instant(), user.createdAt());
    assertTrue(user.passwordHash().startsWith("$argon2id$"));
    assertEquals(user, store.userByEmail("ann@example.com").orElseThrow());
    assertEquals(user, store.userById(user.id()).orElseThrow());
  }

  @Test
  void shouldRejectRegistrationWhenEmailAlreadyExists() {
    accounts.register("ann@example.com", PASSWORD);
    assertEquals(AuthException.Code.USER_EXISTS, code(() -> accounts.register("ANN@example.com", "other-Pass-99")));
    assertEquals(1, accounts.list().size());
  }

  @Test
  void shouldCreateOneAccountWhenSameEmailRegistersConcurrently() throws Exception {
    int racers = 8;
    var results = new java.util.concurrent.ConcurrentLinkedQueue<String>();
    var start = new java.util.concurrent.CountDownLatch(1);
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < racers; i++) {
        pool.submit(() -> {
          start.await();
          try {
            accounts.register("race@example.com", PASSWORD);
            results.add("ok");
          } catch (AuthException e) {
            results.add(e.code().wire());
          }
          return null;
        });
      }
      start.countDown();
    }
    assertEquals(1, results.stream().filter("ok"::equals).count(), results.toString());
    assertEquals(racers - 1, results.stream().filter("ERR_USER_EXISTS"::equals).count(), results.toString());
    assertEquals(1, accounts.list().size());
  }

  @Test
  void shouldStoreNothingWhenRegistrationInputIsBad() {
    assertEquals(AuthException.Code.INVALID_EMAIL, code(() -> accounts.register("not-an-email", PASSWORD)));
    assertEquals(AuthException.Code.WEAK_PASSWORD, code(() -> accounts.register("ann@example.com", "short")));
    assertEquals(AuthException.Code.WEAK_PASSWORD, code(() -> accounts.register("ann@example.com", null)));
    assertTrue(accounts.list().isEmpty());
  }

  @Test
  void shouldGrantAdminWhenEmailIsBootstrapAdmin() {
    assertEquals(Set.of(Role.USER, Role.ADMIN), accounts.register("Root@example.com", PASSWORD).roles());
  }

  @Test
  void shouldLoginWhenPasswordMatches() {
    User user = accounts.register("ann@example.com", PASSWORD);
    assertEquals(user, accounts.login("ANN@example.com ", PASSWORD));
  }

  @Test
  void shouldRejectWithOneCodeWhenEmailOrPasswordIsWrong() {
    accounts.register("ann@example.com", PASSWORD);
    assertEquals(AuthException.Code.INVALID_CREDENTIALS, code(() -> accounts.login("ann@example.com", "nope-Nope-1")));
    assertEquals(AuthException.Code.INVALID_CREDENTIALS, code(() -> accounts.login("bob@example.com", PASSWORD)));
    assertEquals(AuthException.Code.INVALID_CREDENTIALS, code(() -> accounts.login("bad email", PASSWORD)));
    assertEquals(AuthException.Code.INVALID_CREDENTIALS, code(() -> accounts.login("ann@example.com", null)));
    assertEquals(AuthException.Code.INVALID_CREDENTIALS,
        code(() -> accounts.login("ann@example.com", "x".repeat(1000))));
  }

  @Test
  void shouldBackOffWhenLoginsKeepFailing() {
    accounts.register("ann@example.com", PASSWORD);
    for (int i = 0; i < 4; i++) {
      code(() -> accounts.login("ann@example.com", "wrong-Pass-1"));
    }
    AuthException locked = assertThrows(AuthException.class, () -> accounts.login("ann@example.com", PASSWORD));
    assertEquals(AuthException.Code.TOO_MANY_ATTEMPTS, locked.code());
    assertEquals(Duration.ofSeconds(1), locked.retryAfter().orElseThrow());
    clock.advance(Duration.ofSeconds(1));
    assertDoesNotThrow(() -> accounts.login("ann@example.com", PASSWORD));
    for (int i = 0; i < 3; i++) {
      code(() -> accounts.login("ann@example.com", "wrong-Pass-1"));
    }
    assertDoesNotThrow(() -> accounts.login("ann@example.com", PASSWORD), "success reset the count");
  }

  @Test
  void shouldBackOffUnknownEmailsLikeAccountsWhenLoginsFail() {
    accounts.register("ann@example.com", PASSWORD);
    for (int i = 0; i < 4; i++) {
      assertEquals(AuthException.Code.INVALID_CREDENTIALS, code(() -> accounts.login("ghost@example.com", PASSWORD)));
      assertEquals(AuthException.Code.INVALID_CREDENTIALS, code(() -> accounts.login("ann@example.com", "x-Y-z-1")));
    }
    AuthException ghost = assertThrows(AuthException.class, () -> accounts.login("ghost@example.com", PASSWORD));
    AuthException ann = assertThrows(AuthException.class, () -> accounts.login("ann@example.com", PASSWORD));
    assertEquals(ann.code(), ghost.code(), "backoff does not tell which emails exist");
    assertEquals(ann.getMessage(), ghost.getMessage());
    assertEquals(ann.retryAfter(), ghost.retryAfter());
  }

  @Test
  void shouldRehashPasswordWhenCostChanged() {
    User user = accounts.register("ann@example.com", PASSWORD);
    AuthSettings stronger = TestStores.settings().withHashing(new PasswordHash(2, 16L << 10));
    Accounts upgraded = new Accounts(store, stronger, clock);
    User after = upgraded.login("ann@example.com", PASSWORD);
    assertNotEquals(user.passwordHash(), after.passwordHash());
    assertFalse(stronger.hashing().needsRehash(store.userByEmail("ann@example.com").orElseThrow().passwordHash()));
    assertEquals(after, upgraded.login("ann@example.com", PASSWORD));
  }

  @Test
  void shouldChangeRolesWhenAdminSetsThem() {
    accounts.register("ann@example.com", PASSWORD);
    assertEquals(Set.of(Role.USER, Role.ADMIN), accounts.setRole("ann@example.com", Role.ADMIN, true).roles());
    assertEquals(Set.of(Role.USER), accounts.setRole("ann@example.com", Role.ADMIN, false).roles());
    assertEquals(Set.of(Role.USER), store.userByEmail("ann@example.com").orElseThrow().roles());
    assertEquals(AuthException.Code.BAD_REQUEST, code(() -> accounts.setRole("ann@example.com", Role.USER, false)));
    assertEquals(AuthException.Code.NOT_FOUND, code(() -> accounts.setRole("bob@example.com", Role.ADMIN, true)));
  }

  @Test
  void shouldRequireStoredAdminRoleWhenCheckingAdmin() {
    User ann = accounts.register("ann@example.com", PASSWORD);
    SessionClaims claims = new SessionClaims("s", ann.id(), ann.email(), Set.of("user", "admin"),
        Instant.EPOCH, Instant.MAX);
    assertEquals(AuthException.Code.FORBIDDEN, code(() -> accounts.requireAdmin(claims)),
        "the token's roles are not trusted for admin checks");
    accounts.setRole("ann@example.com", Role.ADMIN, true);
    assertEquals(ann.id(), accounts.requireAdmin(claims).id());
  }

  @Test
  void shouldRejectSessionWhenItsUserIsUnknown() {
    SessionClaims ghost = new SessionClaims("s", "nobody", "x@example.com", Set.of("user"), Instant.EPOCH,
        Instant.MAX);
    assertEquals(AuthException.Code.INVALID_SESSION, code(() -> accounts.current(ghost)));
  }

  @Test
  void shouldHashOnceWhetherOrNotEmailExistsWhenRegistering() {
    accounts.register("ann@example.com", PASSWORD);
    long before = accounts.hashings();
    assertEquals(AuthException.Code.USER_EXISTS, code(() -> accounts.register("ann@example.com", PASSWORD)));
    long taken = accounts.hashings() - before;
    accounts.register("bob@example.com", PASSWORD);
    long fresh = accounts.hashings() - before - taken;
    assertEquals(1, taken, "a taken email is hashed too, so it answers as late as a new one");
    assertEquals(taken, fresh);
  }

  @Test
  void shouldVerifyOnceWhetherOrNotEmailExistsWhenLoggingIn() {
    accounts.register("ann@example.com", PASSWORD);
    long before = accounts.hashings();
    code(() -> accounts.login("ann@example.com", "wrong-Pass-1"));
    code(() -> accounts.login("ghost@example.com", "wrong-Pass-1"));
    assertEquals(2, accounts.hashings() - before);
  }

  @Test
  void shouldLetOwnerInWhenStrangerExhaustedAttempts() {
    accounts.register("ann@example.com", PASSWORD, "owner");
    for (int i = 0; i < 4; i++) {
      code(() -> accounts.login("ann@example.com", "wrong-Pass-1", "stranger"));
    }
    assertEquals(AuthException.Code.TOO_MANY_ATTEMPTS,
        code(() -> accounts.login("ann@example.com", PASSWORD, "stranger")));
    assertEquals("ann@example.com", accounts.login("ann@example.com", PASSWORD, "owner").email());
  }

  @Test
  void shouldThrottlePerSourceWithoutHashingOrWritingWhenBurstIsSpent() {
    var oneEach = new io.hyperinfer.worker.throttle.KeyedRateLimiter.Rate(1, Duration.ofMinutes(1));
    Accounts tight = new Accounts(store, TestStores.settings().withAbuse(
        TestStores.settings().abuse().withRates(oneEach, oneEach)), clock);
    tight.register("ann@example.com", PASSWORD, "a");
    long hashings = tight.hashings();
    AuthException refused = assertThrows(AuthException.class,
        () -> tight.register("bob@example.com", PASSWORD, "a"));
    assertEquals(AuthException.Code.TOO_MANY_ATTEMPTS, refused.code());
    assertEquals(Duration.ofMinutes(1), refused.retryAfter().orElseThrow());
    assertTrue(store.userByEmail("bob@example.com").isEmpty());
    assertEquals(hashings, tight.hashings(), "refused before any hashing");
    tight.register("bob@example.com", PASSWORD, "b");
    tight.login("ann@example.com", PASSWORD, "a");
    assertEquals(AuthException.Code.TOO_MANY_ATTEMPTS, code(() -> tight.login("ann@example.com", PASSWORD, "a")));
    clock.advance(Duration.ofMinutes(1));
    assertEquals("ann@example.com", tight.login("ann@example.com", PASSWORD, "a").email());
  }
}
