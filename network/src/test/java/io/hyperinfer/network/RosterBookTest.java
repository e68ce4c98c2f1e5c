package io.hyperinfer.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.network.RosterBook.Verdict;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RosterBookTest {
  private static final String GATEWAY = "01".repeat(32);
  private final NetworkKey network = NetworkKey.generate();
  private final RosterBook book = new RosterBook(NetworkKey.parse(network.hex()));
  private final SignedRoster v2 = network.sign(Roster.empty(network.hex()).admit(GATEWAY, Role.GATEWAY));
  private final SignedRoster v3 = network.sign(v2.roster().revoke(GATEWAY, null));

  @Test
  void shouldTrustNobodyWhenNoRosterWasAccepted() {
    assertEquals(0, book.seq());
    assertTrue(book.current().isEmpty());
    assertTrue(book.sessionKey().isEmpty());
    assertFalse(book.hasRole(key(GATEWAY), Role.GATEWAY));
  }

  @Test
  void shouldReplaceTheRosterWhenANewerSignedOneArrives() {
    List<Long> seen = new ArrayList<>();
    book.onChange(r -> seen.add(r.roster().seq()));

    assertEquals(Verdict.ACCEPTED, book.offer(v2));
    assertTrue(book.hasRole(key(GATEWAY), Role.GATEWAY));
    assertEquals(Verdict.SAME, book.offer(v2));
    assertEquals(Verdict.ACCEPTED, book.offer(v3));

    assertFalse(book.hasRole(key(GATEWAY), Role.GATEWAY), "revoked in the newer roster");
    assertEquals(3, book.seq());
    assertEquals(List.of(2L, 3L), seen);
    assertEquals(2, book.count(Verdict.ACCEPTED));
    assertEquals(1, book.count(Verdict.SAME));
  }

  @Test
  void shouldIgnoreOlderForgedAndForeignRostersWhenOffered() {
    book.offer(v3);

    assertEquals(Verdict.STALE, book.offer(v2), "a replayed older roster");
    SignedRoster conflicting = network.sign(new Roster(network.hex(), 3, "02".repeat(32), v3.roster().members(),
        v3.roster().revoked()));
    assertEquals(Verdict.STALE, book.offer(conflicting), "another roster under the current seq");
    SignedRoster unsigned = new SignedRoster(v3.roster().admit(GATEWAY, Role.GATEWAY), new byte[64]);
    assertEquals(Verdict.FORGED, book.offer(unsigned));
    NetworkKey other = NetworkKey.generate();
    assertEquals(Verdict.FORGED, book.offer(other.sign(new Roster(other.hex(), 99, null,
        v2.roster().members(), v2.roster().revoked()))), "another network's roster, however new");

    assertEquals(v3, book.current().orElseThrow());
    assertEquals(2, book.count(Verdict.STALE));
    assertEquals(2, book.count(Verdict.FORGED));
    assertEquals(network, book.network());
  }

  @Test
  void shouldExposeTheSessionKeyWhenTheRosterCarriesOne() {
    book.offer(network.sign(v2.roster().withSessionKey("0f".repeat(32))));
    assertEquals("0f".repeat(32), book.sessionKey().orElseThrow());
  }

  private static byte[] key(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
