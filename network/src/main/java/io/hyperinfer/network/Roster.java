package io.hyperinfer.network;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The operator's list of who belongs to a network: member keys with their roles, revoked keys, the public half of the
 * network's session key, and a sequence number that orders editions (a newer roster has a higher one). Keys are 64
 * lowercase hex characters; members and revocations are kept sorted, so a roster has exactly one encoding
 * ({@link RosterCodec}). A key is never both a member and revoked. Immutable.
 *
 * @param network the network's public key (hex): the key that must sign this roster
 * @param seq the edition, 1 or more
 * @param sessionKey the network's session public key (hex) that Auth signs sessions with, or null when none is set
 * @param members member keys and their roles (each non-empty)
 * @param revoked keys cut off from the network
 */
public record Roster(String network, long seq, String sessionKey, SortedMap<String, Set<Role>> members,
    SortedSet<String> revoked) {
  /** Most members a roster holds, so a signed roster fits one UDP datagram as a HyperDHT mutable value. */
  public static final int MAX_MEMBERS = 1_024;
  /** Most revocations a roster holds; the operator drops the oldest ones once their keys are long dead. */
  public static final int MAX_REVOKED = 512;
  /** The highest sequence number: compact encoding's safe integer range. */
  public static final long MAX_SEQ = (1L << 53) - 1;

  public Roster {
    network = Keys.normalise(network, "network key");
    if (seq < 1 || seq > MAX_SEQ) {
      throw NetworkException.badArgument("roster seq must be 1.." + MAX_SEQ + ": " + seq);
    }
    sessionKey = sessionKey == null ? null : Keys.normalise(sessionKey, "session key");
    TreeMap<String, Set<Role>> m = new TreeMap<>();
    for (Map.Entry<String, Set<Role>> e : members.entrySet()) {
      if (e.getValue() == null || e.getValue().isEmpty()) {
        throw NetworkException.badArgument("a member needs at least one role");
      }
      m.put(Keys.normalise(e.getKey(), "member key"), Collections.unmodifiableSet(EnumSet.copyOf(e.getValue())));
    }
    TreeSet<String> r = new TreeSet<>();
    for (String key : revoked) {
      String k = Keys.normalise(key, "revoked key");
      if (m.containsKey(k)) {
        throw NetworkException.badArgument("key " + k + " is both a member and revoked");
      }
      r.add(k);
    }
    if (m.size() > MAX_MEMBERS || r.size() > MAX_REVOKED) {
      throw new NetworkException(NetworkException.Code.TOO_LARGE, "a roster holds at most " + MAX_MEMBERS
          + " members and " + MAX_REVOKED + " revocations; got " + m.size() + " and " + r.size());
    }
    members = Collections.unmodifiableSortedMap(m);
    revoked = Collections.unmodifiableSortedSet(r);
  }

  /** The first roster of {@code network}: seq 1, no members. */
  public static Roster empty(String network) {
    return new Roster(network, 1, null, new TreeMap<>(), new TreeSet<>());
  }

  /** The roles of {@code key} (hex), empty when it is no member. */
  public Set<Role> rolesOf(String key) {
    return members.getOrDefault(key, Set.of());
  }

  /** Whether {@code key} (32 bytes) is a member with {@code role}. */
  public boolean hasRole(byte[] key, Role role) {
    return key != null && key.length == Keys.BYTES && rolesOf(Keys.hex(key, "key")).contains(role);
  }

  public boolean isRevoked(String key) {
    return revoked.contains(Keys.normalise(key, "key"));
  }

  public Optional<String> session() {
    return Optional.ofNullable(sessionKey);
  }

  /** The next edition with {@code key} holding {@code role} too; a revoked key is reinstated. */
  public Roster admit(String key, Role role) {
    String k = Keys.normalise(key, "member key");
    TreeMap<String, Set<Role>> m = new TreeMap<>(members);
    EnumSet<Role> roles = EnumSet.of(role);
    roles.addAll(rolesOf(k));
    m.put(k, roles);
    TreeSet<String> r = new TreeSet<>(revoked);
    r.remove(k);
    return new Roster(network, seq + 1, sessionKey, m, r);
  }

  /**
   * The next edition without {@code role} for {@code key}, or, when {@code role} is null or its last role, with the
   * key revoked: a revoked key is refused everywhere even while a cached older roster still lists it elsewhere.
   */
  public Roster revoke(String key, Role role) {
    String k = Keys.normalise(key, "member key");
    TreeMap<String, Set<Role>> m = new TreeMap<>(members);
    TreeSet<String> r = new TreeSet<>(revoked);
    EnumSet<Role> left = rolesOf(k).isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(rolesOf(k));
    if (role == null) {
      left.clear();
    } else {
      left.remove(role);
    }
    if (left.isEmpty()) {
      m.remove(k);
      r.add(k);
    } else {
      m.put(k, left);
    }
    return new Roster(network, seq + 1, sessionKey, m, r);
  }

  /** The next edition with {@code sessionKey} (hex) as the network's session public key. */
  public Roster withSessionKey(String sessionKeyHex) {
    return new Roster(network, seq + 1, sessionKeyHex, members, revoked);
  }
}
