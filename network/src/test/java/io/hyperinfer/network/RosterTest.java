package io.hyperinfer.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RosterTest {
  private static final String NET = "aa".repeat(32);
  private static final String A = "01".repeat(32);
  private static final String B = "02".repeat(32);

  @Test
  void shouldGrantAndRevokeRolesInNewEditionsWhenTheOperatorEditsTheRoster() {
    Roster r0 = Roster.empty(NET);
    Roster r1 = r0.admit(A.toUpperCase(), Role.GATEWAY);
    Roster r2 = r1.admit(A, Role.AUTH).admit(B, Role.PROCESSOR);

    assertEquals(1, r0.seq());
    assertEquals(Set.of(Role.GATEWAY, Role.AUTH), r2.rolesOf(A));
    assertEquals(4, r2.seq());
    assertTrue(r2.hasRole(HexFormat.of().parseHex(A), Role.AUTH));
    assertFalse(r2.hasRole(HexFormat.of().parseHex(B), Role.AUTH));
    assertFalse(r2.hasRole(new byte[5], Role.AUTH), "a malformed key is no member");
    assertFalse(r2.hasRole(null, Role.AUTH));

    Roster r3 = r2.revoke(A, Role.AUTH);
    assertEquals(Set.of(Role.GATEWAY), r3.rolesOf(A));
    assertFalse(r3.isRevoked(A));
    Roster r4 = r3.revoke(A, Role.GATEWAY);
    assertTrue(r4.rolesOf(A).isEmpty());
    assertTrue(r4.isRevoked(A), "a key losing its last role is revoked");
    Roster r5 = r4.revoke(B, null);
    assertTrue(r5.isRevoked(B) && r5.members().isEmpty());
    Roster r6 = r5.admit(B, Role.GATEWAY);
    assertFalse(r6.isRevoked(B), "admitting a revoked key reinstates it");
    assertTrue(r6.revoke("03".repeat(32), null).isRevoked("03".repeat(32)), "a stranger can be revoked in advance");
  }

  @Test
  void shouldCarryTheSessionKeyWhenOneIsSet() {
    Roster r = Roster.empty(NET);
    assertTrue(r.session().isEmpty());
    Roster s = r.withSessionKey(B);
    assertEquals(B, s.session().orElseThrow());
    assertEquals(2, s.seq());
  }

  @Test
  void shouldRefuseMalformedRostersWhenConstructed() {
    TreeMap<String, Set<Role>> members = new TreeMap<>(Map.of(A, Set.of(Role.AUTH)));
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> new Roster("xyz", 1, null, members, new TreeSet<>()));
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> new Roster(null, 1, null, members, new TreeSet<>()));
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> new Roster("zz".repeat(32), 1, null, members,
        new TreeSet<>()));
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> new Roster(NET, 0, null, members, new TreeSet<>()));
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> new Roster(NET, Roster.MAX_SEQ + 1, null, members,
        new TreeSet<>()));
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> new Roster(NET, 1, "00", members, new TreeSet<>()));
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> new Roster(NET, 1, null,
        new TreeMap<>(Map.of(A, Set.of())), new TreeSet<>()));
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> new Roster(NET, 1, null, members,
        new TreeSet<>(List.of(A))));
    TreeMap<String, Set<Role>> many = new TreeMap<>();
    for (int i = 0; i <= Roster.MAX_MEMBERS; i++) {
      many.put(String.format("%064x", i), EnumSet.of(Role.GATEWAY));
    }
    assertCode(NetworkException.Code.TOO_LARGE, () -> new Roster(NET, 1, null, many, new TreeSet<>()));
    TreeSet<String> revoked = new TreeSet<>();
    for (int i = 0; i <= Roster.MAX_REVOKED; i++) {
      revoked.add(String.format("%064x", i));
    }
    assertCode(NetworkException.Code.TOO_LARGE, () -> new Roster(NET, 1, null, new TreeMap<>(), revoked));
  }

  @Test
  void shouldParseRoleLabelsCaseInsensitivelyWhenGivenOnTheCommandLine() {
    assertEquals(Role.PROCESSOR, Role.parse(" Processor "));
    assertEquals("admin", Role.ADMIN.label());
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> Role.parse("root"));
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> Role.parse(null));
  }

  static void assertCode(NetworkException.Code code, org.junit.jupiter.api.function.Executable run) {
    NetworkException e = assertThrows(NetworkException.class, run);
    assertEquals(code, e.code(), e.getMessage());
    assertTrue(e.toString().contains(code.name()));
  }
}
