package io.hyperinfer.auth;

import java.util.Locale;

/** What an account may do: every account is a USER; ADMIN adds the admin-only methods. */
public enum Role {
  USER,
  ADMIN;

  /** The lowercase name used on the wire and in the store. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code wire}, or {@link AuthException.Code#BAD_REQUEST}. */
  public static Role fromWire(String wire) {
    for (Role role : values()) {
      if (role.wire().equals(wire)) {
        return role;
      }
    }
    throw AuthException.badRequest("unknown role");
  }
}
