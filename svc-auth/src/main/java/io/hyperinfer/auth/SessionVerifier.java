package io.hyperinfer.auth;

import io.hyperinfer.crypto.Ed25519;
import java.time.Clock;

/**
 * Verifies session tokens offline, with only the Auth worker's public key: what a gateway uses on every request.
 * It checks the signature, the shape and the expiry; it cannot see revocations (logout, admin revoke), so a gateway
 * that must honour them immediately calls Auth's {@code validateSession}. Thread-safe.
 */
public final class SessionVerifier {
  private final byte[] authPublicKey;
  private final Clock clock;

  /**
   * @param authPublicKey the Auth worker's 32-byte Ed25519 public key
   * @param clock the time source for expiry checks
   */
  public SessionVerifier(byte[] authPublicKey, Clock clock) {
    if (authPublicKey == null || authPublicKey.length != Ed25519.PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("the Auth public key must be 32 bytes");
    }
    this.authPublicKey = authPublicKey.clone();
    this.clock = clock;
  }

  /**
   * The claims of a token signed by Auth and not yet expired.
   *
   * @throws AuthException {@code INVALID_SESSION} for a malformed, forged or foreign token; {@code SESSION_EXPIRED}
   *     once its expiry has passed
   */
  public SessionClaims verify(String token) {
    SessionTokens.Parts parts = SessionTokens.split(token);
    if (!Ed25519.verify(parts.signature(), parts.payload(), authPublicKey)) {
      throw SessionTokens.invalid();
    }
    SessionClaims claims = SessionTokens.claims(parts.payload());
    if (!clock.instant().isBefore(claims.expiresAt())) {
      throw new AuthException(AuthException.Code.SESSION_EXPIRED, "session has expired");
    }
    return claims;
  }
}
