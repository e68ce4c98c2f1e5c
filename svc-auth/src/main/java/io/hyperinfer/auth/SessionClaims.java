package io.hyperinfer.auth;

import java.time.Instant;
import java.util.Set;

/**
 * What a verified session token says: who, with which roles, and for how long. Immutable.
 *
 * @param sessionId random id, the handle for revocation
 * @param userId the account's stable id
 * @param email the account's normalised email at login time
 * @param roles the account's roles at login time
 * @param issuedAt when Auth signed the token (whole seconds)
 * @param expiresAt when the token stops being valid (whole seconds)
 */
public record SessionClaims(String sessionId, String userId, String email, Set<Role> roles, Instant issuedAt,
    Instant expiresAt) {
  public SessionClaims {
    roles = Set.copyOf(roles);
  }

  public boolean hasRole(Role role) {
    return roles.contains(role);
  }
}
