package io.hyperinfer.contract.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a verified session token says: who, with which account roles, and for how long. Issued by Auth, verified by
 * anyone holding the network's session public key ({@link SessionVerifier}). Immutable.
 *
 * @param sessionId random id, the handle for revocation
 * @param userId the account's stable id
 * @param email the account's normalised email at login time
 * @param roles the account's roles at login time, by their wire names ({@code user}, {@code admin})
 * @param issuedAt when Auth signed the token (whole seconds)
 * @param expiresAt when the token stops being valid (whole seconds)
 */
public record SessionClaims(String sessionId, String userId, String email, Set<String> roles, Instant issuedAt,
    Instant expiresAt) {
  /** The account roles a token may carry, by wire name (Auth's {@code Role}). */
  public static final Set<String> ROLES = Set.of("user", "admin");

  public SessionClaims {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    roles = Set.copyOf(roles);
    if (!ROLES.containsAll(roles)) {
      throw new IllegalArgumentException("roles must be among " + ROLES);
    }
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
