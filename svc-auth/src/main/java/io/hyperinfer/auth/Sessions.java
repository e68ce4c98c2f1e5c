package io.hyperinfer.auth;

import io.hyperinfer.contract.session.SessionClaims;
import io.hyperinfer.contract.session.SessionException;
import io.hyperinfer.contract.session.SessionTokens;
import io.hyperinfer.contract.session.SessionVerifier;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.crypto.Random;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues session tokens signed with the session key (the network's, else the Auth worker's identity key), and
 * validates them online: the offline checks of {@link SessionVerifier} plus the revocation list in the store, which
 * gateways also copy ({@link #revocations}). Thread-safe.
 */
final class Sessions {
  private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
  private final KeyPair signer;
  private final SessionVerifier verifier;
  private final AuthStore store;
  private final Clock clock;
  private final Duration ttl;
  private final Supplier<Optional<String>> networkSessionKey;
  private final String signing;
  private volatile String warnedAbout;

  Sessions(KeyPair signer, AuthStore store, Clock clock, Duration ttl) {
    this(signer, store, clock, ttl, Optional::empty);
  }

  /**
   * @param networkSessionKey the session public key (hex) the network's roster names now, empty outside a network:
   *     when it is not {@code signer}'s, this Auth stops issuing and validating sessions
   */
  Sessions(KeyPair signer, AuthStore store, Clock clock, Duration ttl, Supplier<Optional<String>> networkSessionKey) {
    this.networkSessionKey = networkSessionKey;
    this.signing = HexFormat.of().formatHex(signer.publicKey());
    this.signer = signer;
    this.verifier = new SessionVerifier(signer.publicKey(), clock);
    this.store = store;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** A signed token for {@code user}, valid for the configured TTL from now. */
  Issued issue(User user) {
    requireNetworkKey();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    SessionClaims claims = new SessionClaims(HexFormat.of().formatHex(Random.bytes(16)), user.id(), user.email(),
        user.roles().stream().map(Role::wire).collect(Collectors.toSet()), now, now.plus(ttl));
    return new Issued(SessionTokens.sign(claims, signer), claims);
  }

  /** The claims of a token that is signed, unexpired and not revoked. */
  SessionClaims validate(String token) {
    requireNetworkKey();
    SessionClaims claims;
    try {
      claims = verifier.verify(token);
    } catch (SessionException e) {
      throw new AuthException(e.code() == SessionException.Code.SESSION_EXPIRED ? AuthException.Code.SESSION_EXPIRED
          : AuthException.Code.INVALID_SESSION, e.getMessage());
    }
    if (store.isRevoked(claims.sessionId())) {
      throw new AuthException(AuthException.Code.SESSION_REVOKED, "session has been revoked");
    }
    return claims;
  }

  /**
   * The revoked sessions whose tokens have not expired yet, soonest expiry first, at most {@code limit}: what gateways
   * copy to check sessions offline.
   */
  AuthStore.Revocations revocations(int limit) {
    return store.revocations(clock.instant(), limit);
  }

  /**
   * Refuses to sign or validate once a newer roster names another session key (the operator rotated it): tokens of
   * this Auth's key would be refused by every gateway, so issuing them would only hand out sessions that fail later.
   * Says so once per key in the log, and to every caller with {@code ERR_SESSION_KEY_RETIRED}.
   */
  private void requireNetworkKey() {
    Optional<String> named = networkSessionKey.get();
    if (named.isEmpty() || named.get().equalsIgnoreCase(signing)) {
      return;
    }
    if (!named.get().equals(warnedAbout)) {
      warnedAbout = named.get();
      LOG.error("the network's roster now names session key {} but this Auth signs with {}: it issues and validates"
          + " no session until it is restarted with the operator's new session.key (auth.sessionKeyFile)",
          named.get(), signing);
    }
    throw new AuthException(AuthException.Code.SESSION_KEY_RETIRED, "this Auth's session key is no longer the "
        + "network's; sessions are unavailable here until it gets the new one");
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
