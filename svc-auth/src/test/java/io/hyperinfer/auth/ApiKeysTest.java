package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.store.Bee;
import io.hyperinfer.worker.store.RangeOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ApiKeysTest {
  private final ManualClock clock = new ManualClock();
  private final Bee bee = TestStores.started(clock).bee(AuthStore.BEE);
  private final AuthStore store = new AuthStore(bee);
  private final ApiKeys keys = new ApiKeys(store, clock, 3);
  private final User ann = user("ann");
  private final User bob = user("bob");
  private final KeyLimits limits = new KeyLimits(60, 1000, 2, 100_000);

  private User user(String name) {
    User u = new User(name + "-id", name + "@example.com", "h", Set.of(Role.USER), clock.instant());
    store.putUser(u);
    return u;
  }

  private static AuthException.Code code(Executable call) {
    return assertThrows(AuthException.class, call).code();
  }

  @Test
  void shouldReturnSecretOnceAndStoreOnlyHashWhenKeyCreated() {
    ApiKeys.Created created = keys.create(ann, " laptop ", List.of("llama3", "llama3", "qwen"), limits, null);
    assertEquals("laptop", created.key().name());
    assertEquals(List.of("llama3", "qwen"), created.key().models());
    assertEquals(limits, created.key().limits());
    assertNull(created.key().expiresAt());
    assertFalse(created.toString().contains(created.token().secret()));
    String everything = bee.range(RangeOptions.all()).stream()
        .map(e -> e.keyString() + new String(e.value(), StandardCharsets.UTF_8)).reduce("", String::concat);
    assertFalse(everything.contains(created.token().secret()), "the secret must not be stored");
    assertTrue(everything.contains(created.token().hashHex()));
  }

  @Test
  void shouldReturnExactlyWhatIsStoredWhenClockHasNanoseconds() {
    clock.advance(Duration.ofNanos(1_234_567));
    ApiKeys.Created created = keys.create(ann, "n", null, KeyLimits.UNLIMITED,
        clock.instant().plusNanos(5_000_001_001L));
    assertEquals(created.key(), store.key(created.key().id()).orElseThrow());
  }

  @Test
  void shouldListOnlyOwnKeysWhenListing() {
    keys.create(ann, "a1", null, KeyLimits.UNLIMITED, null);
    keys.create(ann, "a2", null, KeyLimits.UNLIMITED, null);
    keys.create(bob, "b1", null, KeyLimits.UNLIMITED, null);
    assertEquals(Set.of("a1", "a2"), Set.copyOf(keys.list(ann).stream().map(ApiKey::name).toList()));
    assertEquals(List.of("b1"), keys.list(bob).stream().map(ApiKey::name).toList());
  }

  @Test
  void shouldValidateWhenKeyIsLive() {
    ApiKeys.Created created = keys.create(ann, "laptop", List.of("llama3"), limits, clock.instant().plusSeconds(60));
    ApiKeys.Validated v = keys.validate(created.token().value());
    assertEquals(ann, v.user());
    assertEquals(created.key(), v.key());
  }

  @Test
  void shouldRejectWhenKeyIsRevokedExpiredForgedOrUnknown() {
    ApiKeys.Created revoked = keys.create(ann, "r", null, KeyLimits.UNLIMITED, null);
    keys.revoke(ann, revoked.key().id(), false);
    assertEquals(AuthException.Code.KEY_REVOKED, code(() -> keys.validate(revoked.token().value())));

    ApiKeys.Created expiring = keys.create(ann, "e", null, KeyLimits.UNLIMITED, clock.instant().plusSeconds(10));
    clock.advance(Duration.ofSeconds(10));
    assertEquals(AuthException.Code.KEY_EXPIRED, code(() -> keys.validate(expiring.token().value())));

    ApiKeyToken forged = new ApiKeyToken(expiring.token().id(), ApiKeyToken.generate().secret());
    assertEquals(AuthException.Code.INVALID_KEY, code(() -> keys.validate(forged.value())));
    assertEquals(AuthException.Code.INVALID_KEY, code(() -> keys.validate(ApiKeyToken.generate().value())));
    assertEquals(AuthException.Code.INVALID_KEY, code(() -> keys.validate("sk-something")));
  }

  @Test
  void shouldRejectWhenKeyOwnerIsGone() {
    User ghost = new User("ghost-id", "ghost@example.com", "h", Set.of(Role.USER), clock.instant());
    ApiKeys.Created created = keys.create(ghost, "g", null, KeyLimits.UNLIMITED, null);
    assertEquals(AuthException.Code.INVALID_KEY, code(() -> keys.validate(created.token().value())));
  }

  @Test
  void shouldHideOtherUsersKeysWhenRevokingUnlessAdmin() {
    ApiKeys.Created created = keys.create(ann, "a", null, KeyLimits.UNLIMITED, null);
    assertEquals(AuthException.Code.NOT_FOUND, code(() -> keys.revoke(bob, created.key().id(), false)));
    assertEquals(AuthException.Code.NOT_FOUND, code(() -> keys.revoke(ann, "ffffffffffffffff", false)));
    assertEquals(AuthException.Code.BAD_REQUEST, code(() -> keys.revoke(ann, "", false)));
    assertEquals(AuthException.Code.BAD_REQUEST, code(() -> keys.revoke(ann, null, false)));
    assertEquals(AuthException.Code.BAD_REQUEST, code(() -> keys.revoke(ann, "f".repeat(65), false)));
    ApiKey revoked = keys.revoke(bob, created.key().id(), true);
    assertEquals(clock.instant(), revoked.revokedAt());
    clock.advance(Duration.ofSeconds(5));
    assertEquals(revoked, keys.revoke(ann, created.key().id(), false), "revoking twice keeps the first time");
  }

  @Test
  void shouldStoreNothingWhenCreateInputIsBad() {
    List<Executable> bad = List.of(
        () -> keys.create(ann, null, null, KeyLimits.UNLIMITED, null),
        () -> keys.create(ann, "  ", null, KeyLimits.UNLIMITED, null),
        () -> keys.create(ann, "x".repeat(65), null, KeyLimits.UNLIMITED, null),
        () -> keys.create(ann, "tab\there", null, KeyLimits.UNLIMITED, null),
        () -> keys.create(ann, "k", Collections.nCopies(65, "m"), KeyLimits.UNLIMITED, null),
        () -> keys.create(ann, "k", Arrays.asList("m", null), KeyLimits.UNLIMITED, null),
        () -> keys.create(ann, "k", List.of(" "), KeyLimits.UNLIMITED, null),
        () -> keys.create(ann, "k", List.of("m".repeat(129)), KeyLimits.UNLIMITED, null),
        () -> keys.create(ann, "k", List.of("a\nb"), KeyLimits.UNLIMITED, null),
        () -> keys.create(ann, "k", null, KeyLimits.UNLIMITED, clock.instant()));
    for (Executable call : bad) {
      assertEquals(AuthException.Code.BAD_REQUEST, code(call));
    }
    assertTrue(keys.list(ann).isEmpty());
  }

  @Test
  void shouldRefuseWhenUserHasTooManyKeys() {
    for (int i = 0; i < 3; i++) {
      assertNotNull(keys.create(ann, "k" + i, null, KeyLimits.UNLIMITED, null));
    }
    assertEquals(AuthException.Code.BAD_REQUEST, code(() -> keys.create(ann, "k4", null, KeyLimits.UNLIMITED, null)));
    assertEquals(3, keys.list(ann).size());
  }

  @Test
  void shouldRoundTripStoredFormWhenKeyHasEveryField() {
    ApiKey key = new ApiKey("0123456789abcdef", "u", "n", "ab", List.of("m"), limits, Instant.ofEpochMilli(5),
        Instant.ofEpochMilli(9), Instant.ofEpochMilli(7));
    assertEquals(key, ApiKey.fromJson(key.toJson()));
    assertEquals(true, key.publicJson().path("revoked").asBoolean());
    assertFalse(key.publicJson().has("hash"));
  }

  @Test
  void shouldValidateARegisteredClientKeyUntilItIsRevokedOrExpires() {
    String laptop = "0a".repeat(32);
    String phone = "0b".repeat(32);
    ApiKey key = keys.registerClientKey(ann, laptop, "laptop", List.of("llama3"), limits,
        clock.instant().plusSeconds(60));

    ApiKeys.Validated v = keys.validateClientKey(laptop);
    assertEquals(ann.id(), v.user().id());
    assertEquals(key.id(), v.key().id());
    assertEquals(limits, v.key().limits(), "the same limits as an API key");
    assertEquals(AuthException.Code.INVALID_KEY, code(() -> keys.validateClientKey(phone)));
    assertEquals(AuthException.Code.INVALID_KEY, code(() -> keys.validateClientKey("not hex")));
    assertEquals(AuthException.Code.INVALID_KEY, code(() -> keys.validateClientKey(null)));
    assertEquals(AuthException.Code.BAD_REQUEST, code(() -> keys.registerClientKey(bob, laptop, "mine", null,
        KeyLimits.UNLIMITED, null)), "a key belongs to one account");
    assertEquals(AuthException.Code.BAD_REQUEST, code(() -> keys.registerClientKey(bob, phone, "p", null,
        KeyLimits.UNLIMITED, clock.instant())));

    clock.advance(Duration.ofSeconds(61));
    assertEquals(AuthException.Code.KEY_EXPIRED, code(() -> keys.validateClientKey(laptop)));
    keys.registerClientKey(bob, phone, "phone", null, KeyLimits.UNLIMITED, null);
    keys.revoke(bob, keys.validateClientKey(phone).key().id(), false);
    assertEquals(AuthException.Code.KEY_REVOKED, code(() -> keys.validateClientKey(phone)));
    assertEquals(AuthException.Code.BAD_REQUEST, code(() -> keys.registerClientKey(bob, phone, "again", null,
        KeyLimits.UNLIMITED, null)), "a revoked client key stays revoked");
  }

  @Test
  void shouldCountClientKeysAgainstTheAccountsKeyLimit() {
    for (int i = 1; i <= 3; i++) {
      keys.registerClientKey(ann, String.format("%064x", i), "k" + i, null, KeyLimits.UNLIMITED, null);
    }
    assertEquals(AuthException.Code.BAD_REQUEST, code(() -> keys.registerClientKey(ann, String.format("%064x", 4),
        "k4", null, KeyLimits.UNLIMITED, null)));
    assertEquals(3, keys.list(ann).size());
  }
}
