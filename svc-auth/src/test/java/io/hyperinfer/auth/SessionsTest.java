package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00.750Z"));
  private final KeyPair key = Ed25519.generate();
  private final AuthStore store = TestStores.authStore(clock);
  private final Sessions sessions = new Sessions(key, store, clock, Duration.ofHours(1));
  private final User ann = new User("u1", "ann@example.com", "h", Set.of(Role.USER), clock.instant());

  @Test
  void shouldIssueVerifiableTokenWhenUserLogsIn() {
    Sessions.Issued issued = sessions.issue(ann);
    assertEquals(Instant.parse("2026-03-01T10:00:00Z"), issued.claims().issuedAt());
    assertEquals(Instant.parse("2026-03-01T11:00:00Z"), issued.claims().expiresAt());
    assertEquals(issued.claims(), new SessionVerifier(key.publicKey(), clock).verify(issued.token()));
    assertEquals(issued.claims(), sessions.validate(issued.token()));
    assertFalse(issued.toString().contains(issued.token()));
  }

  @Test
  void shouldRejectAsRevokedWhenLoggedOut() {
    Sessions.Issued issued = sessions.issue(ann);
    Sessions.Issued other = sessions.issue(ann);
    sessions.revoke(issued.claims());
    assertEquals(AuthException.Code.SESSION_REVOKED,
        assertThrows(AuthException.class, () -> sessions.validate(issued.token())).code());
    assertEquals(other.claims(), sessions.validate(other.token()));
  }

  @Test
  void shouldRejectAsExpiredWhenTtlPassed() {
    Sessions.Issued issued = sessions.issue(ann);
    clock.advance(Duration.ofHours(1));
    assertEquals(AuthException.Code.SESSION_EXPIRED,
        assertThrows(AuthException.class, () -> sessions.validate(issued.token())).code());
  }

  @Test
  void shouldForgetRevocationWhenTokenHasExpiredAnyway() {
    Sessions.Issued issued = sessions.issue(ann);
    sessions.revoke(issued.claims());
    assertTrue(store.isRevoked(issued.claims().sessionId()));
    clock.advance(Duration.ofHours(2));
    assertEquals(1, store.pruneRevocations(clock.instant()));
    assertFalse(store.isRevoked(issued.claims().sessionId()));
  }

  @Test
  void shouldRevokeByIdWhenAdminAsks() {
    Sessions.Issued issued = sessions.issue(ann);
    sessions.revokeById(issued.claims().sessionId());
    assertEquals(AuthException.Code.SESSION_REVOKED,
        assertThrows(AuthException.class, () -> sessions.validate(issued.token())).code());
  }
}
