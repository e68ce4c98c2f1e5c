package io.hyperinfer.auth;

import io.hyperinfer.contract.session.SessionVerifier;
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
  void shouldListUnexpiredRevocationsForGatewaysWhenSessionsAreRevoked() {
    Sessions.Issued first = sessions.issue(ann);
    clock.advance(Duration.ofMinutes(10));
    Sessions.Issued second = sessions.issue(ann);
    sessions.revoke(second.claims());
    sessions.revoke(first.claims());
    AuthStore.Revocations all = sessions.revocations(10);
    assertTrue(all.complete());
    assertEquals(java.util.List.of(first.claims().sessionId(), second.claims().sessionId()),
        java.util.List.copyOf(all.expiries().keySet()), "soonest expiry first");
    assertEquals(second.claims().expiresAt(), all.expiries().get(second.claims().sessionId()));
    AuthStore.Revocations one = sessions.revocations(1);
    assertFalse(one.complete());
    assertEquals(java.util.Set.of(first.claims().sessionId()), one.expiries().keySet());
    clock.advance(Duration.ofMinutes(50));
    assertEquals(java.util.Set.of(second.claims().sessionId()), sessions.revocations(10).expiries().keySet(),
        "a revocation whose token expired is not listed");
  }

  @Test
  void shouldRejectAsInvalidWhenTokenIsTampered() {
    String token = sessions.issue(ann).token();
    // Not the last character: it may carry only padding bits, so changing it can leave the bytes as they were.
    int at = token.length() - 10;
    String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
    assertEquals(AuthException.Code.INVALID_SESSION,
        assertThrows(AuthException.class, () -> sessions.validate(tampered)).code());
  }

  @Test
  void shouldStopIssuingAndValidatingWhenTheRosterNamesAnotherSessionKey() {
    java.util.concurrent.atomic.AtomicReference<String> named = new java.util.concurrent.atomic.AtomicReference<>(
        java.util.HexFormat.of().formatHex(key.publicKey()));
    Sessions inNetwork = new Sessions(key, store, clock, Duration.ofHours(1),
        () -> java.util.Optional.ofNullable(named.get()));
    Sessions.Issued issued = inNetwork.issue(ann);
    assertEquals(issued.claims(), inNetwork.validate(issued.token()));
    named.set("ab".repeat(32));
    assertEquals(AuthException.Code.SESSION_KEY_RETIRED,
        assertThrows(AuthException.class, () -> inNetwork.issue(ann)).code());
    assertEquals(AuthException.Code.SESSION_KEY_RETIRED,
        assertThrows(AuthException.class, () -> inNetwork.validate(issued.token())).code());
    named.set(null);
    assertEquals(issued.claims(), inNetwork.validate(issued.token()), "outside a network the own key signs");
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
