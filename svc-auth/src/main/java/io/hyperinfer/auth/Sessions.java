package io.hyperinfer.auth;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.crypto.Random;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * Issues session tokens signed with the Auth worker's identity key, and validates them online: the offline checks of
 * {@link SessionVerifier} plus the revocation list in the store. Thread-safe.
 */
final class Sessions {
  private final KeyPair signer;
  private final SessionVerifier verifier;
  private final AuthStore store;
  private final Clock clock;
  private final Duration ttl;

  Sessions(KeyPair signer, AuthStore store, Clock clock, Duration ttl) {
    this.signer = signer;
    this.verifier = new SessionVerifier(signer.publicKey(), clock);
    this.store = store;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** A signed token for {@code user}, valid for the configured TTL from now. */
  Issued issue(User user) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    SessionClaims claims = new SessionClaims(HexFormat.of().formatHex(Random.bytes(16)), user.id(), user.email(),
        user.roles(), now, now.plus(ttl));
    byte[] payload = SessionTokens.payload(claims);
    return new Issued(SessionTokens.encode(payload, Ed25519.sign(payload, signer.secretKey())), claims);
  }

  /** The claims of a token that is signed, unexpired and not revoked. */
  SessionClaims validate(String token) {
    SessionClaims claims = verifier.verify(token);
    if (store.isRevoked(claims.sessionId())) {
      throw new AuthException(AuthException.Code.SESSION_REVOKED, "session has been revoked");
    }
    return claims;
  }

  /** Revokes a validated session until it would have expired anyway. */
  void revoke(SessionClaims claims) {
    store.revokeSession(claims.sessionId(), claims.expiresAt(), clock.instant());
  }

  /** Revokes a session known only by id (admin): kept for a full TTL, the longest any token can live. */
  void revokeById(String sessionId) {
    Instant now = clock.instant();
    store.revokeSession(sessionId, now.plus(ttl), now);
  }

  /** A token and what it says; the token is a secret of its holder. */
  record Issued(String token, SessionClaims claims) {
    @Override
    public String toString() {
      return "Issued[session " + claims.sessionId() + "]";
    }
  }
}
