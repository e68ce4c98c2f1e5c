package io.hyperinfer.contract.session;

import io.hyperinfer.crypto.Ed25519;
import java.time.Clock;

/**
 * Verifies session tokens offline, with only the session public key (the network's, named in the roster, or an Auth
 * worker's identity key outside a network): what a gateway does on every session-authenticated request. It checks
 * the signature, the shape and the expiry on the injected clock; it cannot see revocations (logout, admin revoke),
 * which the gateway learns from Auth's revocation list. Thread-safe.
 */
public final class SessionVerifier {
  private final byte[] publicKey;
  private final Clock clock;

  /**
   * @param publicKey the 32-byte Ed25519 public key sessions are signed with
   * @param clock the time source for expiry checks
   */
  public SessionVerifier(byte[] publicKey, Clock clock) {
    if (publicKey == null || publicKey.length != Ed25519.PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("the session public key must be 32 bytes");
    }
    this.publicKey = publicKey.clone();
    this.clock = clock;
  }

  /**
   * The claims of a token signed with the session key and not yet expired.
   *
   * @throws SessionException {@code INVALID_SESSION} for a malformed, forged or foreign token; {@code SESSION_EXPIRED}
   *     once its expiry has passed
   */
  public SessionClaims verify(String token) {
    SessionTokens.Parts parts = SessionTokens.split(token);
    if (!Ed25519.verify(parts.signature(), parts.payload(), publicKey)) {
      throw SessionTokens.invalid();
    }
    SessionClaims claims = SessionTokens.claims(parts.payload());
    if (!clock.instant().isBefore(claims.expiresAt())) {
      throw new SessionException(SessionException.Code.SESSION_EXPIRED, "session has expired");
    }
    return claims;
  }
}
