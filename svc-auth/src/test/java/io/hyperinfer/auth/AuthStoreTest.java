package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthStoreTest {
  private final ManualClock clock = new ManualClock();
  private final AuthStore store = TestStores.authStore(clock);

  @Test
  void shouldPruneEveryExpiredRevocationWhenThereAreMoreThanOneBatch() {
    Instant now = clock.instant();
    int expired = AuthStore.PRUNE_BATCH * 2 + 5;
    for (int i = 0; i < expired; i++) {
      store.revokeSession(String.format("old%03d", i), now.plusSeconds(i), now);
    }
    store.revokeSession("live", now.plus(Duration.ofDays(1)), now);
    assertEquals(expired, store.pruneRevocations(now.plus(Duration.ofHours(1))));
    assertTrue(store.isRevoked("live"));
    assertFalse(store.isRevoked("old000"));
    assertEquals(0, store.pruneRevocations(now.plus(Duration.ofHours(1))));
  }

  @Test
  void shouldPruneSomeExpiredRevocationsWhenRevokingAnother() {
    Instant now = clock.instant();
    store.revokeSession("old", now.plusSeconds(1), now);
    store.revokeSession("new", now.plus(Duration.ofHours(1)), now.plusSeconds(2));
    assertFalse(store.isRevoked("old"));
    assertTrue(store.isRevoked("new"));
  }
}
