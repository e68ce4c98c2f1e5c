package io.hyperinfer.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.DecodeException;
import io.hyperinfer.testkit.Seeds;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RosterCodecTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String NET = "aa".repeat(32);
  private static final String A = "01".repeat(32);
  private static final String B = "02".repeat(32);

  @Test
  void shouldWriteTheDocumentedLayoutWhenARosterIsEncoded() {
    Roster r = new Roster(NET, 300, B, new TreeMap<>(Map.of(A, EnumSet.of(Role.GATEWAY, Role.PROCESSOR))),
        new TreeSet<>(Set.of("03".repeat(32))));
    String expected = "01" + NET + "fd2c01" + "01" + B + "01" + A + "06" + "01" + "03".repeat(32);

    byte[] bytes = Compact.encode(RosterCodec.INSTANCE, r);

    assertEquals(expected, HEX.formatHex(bytes));
    assertEquals(r, Compact.decode(RosterCodec.INSTANCE, bytes));
  }

  @Test
  void shouldDecodeToAnEqualRosterWhenRandomRostersRoundTrip() {
    SplittableRandom random = Seeds.random("RosterCodecTest.roundTrip");
    for (int i = 0; i < 500; i++) {
      Roster r = RandomRosters.roster(random, RandomRosters.key(random), 40);
      byte[] bytes = Compact.encode(RosterCodec.INSTANCE, r);
      Roster back = Compact.decode(RosterCodec.INSTANCE, bytes);
      assertEquals(r, back);
      assertArrayEquals(bytes, Compact.encode(RosterCodec.INSTANCE, back));
    }
  }

  @Test
  void shouldRefuseEveryNonCanonicalFormWhenDecoding() {
    String head = "01" + NET + "05" + "00";
    refuse(head + "00" + "00", 0, "02");                                 // version 2
    refuse(head.substring(0, head.length() - 2) + "02" + "00" + "00");  // unknown flag
    refuse(head + "02" + B + "04" + A + "02");                           // members descending
    refuse(head + "02" + A + "04" + A + "02");                           // duplicate member
    refuse(head + "01" + A + "00" + "00");                               // no role
    refuse(head + "01" + A + "10" + "00");                               // unknown role bit
    refuse(head + "00" + "02" + B + A);                                  // revoked descending
    refuse(head + "01" + A + "02" + "01" + A);                           // member and revoked
    refuse("01" + NET + "fd0500" + "00" + "00" + "00");                  // seq 5 in three bytes
    refuse("01" + NET + "00" + "00" + "00" + "00");                      // seq 0
    refuse(head + "fd0104");                                             // 1025 members
    refuse(head + "00" + "fd0102");                                      // 513 revoked
    refuse(head + "05" + A + "02");                                      // count over the bytes left
    refuse(head.substring(0, 20));                                       // truncated key
  }

  private static void refuse(String hex) {
    refuse(hex, -1, null);
  }

  private static void refuse(String hex, int at, String replacement) {
    byte[] bytes = HEX.parseHex(hex);
    if (at >= 0) {
      bytes[at] = (byte) Integer.parseInt(replacement, 16);
    }
    assertThrows(DecodeException.class, () -> RosterCodec.INSTANCE.decode(Buf.wrap(bytes)), hex);
  }

  @Test
  void shouldStayWithinOneDatagramWhenTheRosterIsFull() {
    TreeMap<String, Set<Role>> members = new TreeMap<>();
    for (int i = 0; i < Roster.MAX_MEMBERS; i++) {
      members.put(String.format("%064x", i), EnumSet.allOf(Role.class));
    }
    TreeSet<String> revoked = new TreeSet<>();
    for (int i = 0; i < Roster.MAX_REVOKED; i++) {
      revoked.add(String.format("%064x", i + Roster.MAX_MEMBERS));
    }
    Roster full = new Roster(NET, Roster.MAX_SEQ, B, members, revoked);
    SignedRoster signed = new SignedRoster(full, new byte[64]);

    byte[] bytes = signed.encode();

    assertEquals(SignedRoster.MAX_BYTES, bytes.length);
    assertTrue(bytes.length < 65_507 - 200, "room for the MUTABLE_PUT framing: " + bytes.length);
    assertEquals(full, SignedRoster.decode(bytes).roster());
  }
}
