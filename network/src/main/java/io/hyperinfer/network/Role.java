package io.hyperinfer.network;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the operator lets a member key do. Encoded as bits of one byte, so a member with several roles costs one byte.
 * {@link #ADMIN} is for a user's client key: the Auth worker grants admin rights to requests proven by it.
 */
public enum Role {
  AUTH(1),
  GATEWAY(2),
  PROCESSOR(4),
  ADMIN(8);

  /** Every bit a role uses; a roles byte with any other bit set is not canonical. */
  static final int ALL_BITS = 0x0f;

  private final int bit;

  Role(int bit) {
    this.bit = bit;
  }

  int bit() {
    return bit;
  }

  /** The lowercase name used on the command line and in config ("auth", "gateway", ...). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code label}, case-insensitively. */
  public static Role parse(String label) {
    for (Role r : values()) {
      if (r.label().equalsIgnoreCase(label == null ? "" : label.strip())) {
        return r;
      }
    }
    throw NetworkException.badArgument("unknown role '" + label + "'; expected auth, gateway, processor or admin");
  }

  static int bits(Set<Role> roles) {
    int bits = 0;
    for (Role r : roles) {
      bits |= r.bit;
    }
    return bits;
  }

  static Set<Role> fromBits(int bits) {
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    for (Role r : values()) {
      if ((bits & r.bit) != 0) {
        roles.add(r);
      }
    }
    return roles;
  }
}
