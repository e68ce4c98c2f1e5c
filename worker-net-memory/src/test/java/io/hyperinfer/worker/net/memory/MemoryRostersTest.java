package io.hyperinfer.worker.net.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.Role;
import io.hyperinfer.network.Roster;
import io.hyperinfer.network.RosterSource;
import io.hyperinfer.network.SignedRoster;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The in-memory net's roster board: newer seq replaces, older and equal seq are kept out, networks stay apart. */
class MemoryRostersTest {
  private static final String GATEWAY = "0a".repeat(32);
  private final NetworkKey operator = NetworkKey.generate();
  private final MemoryNetwork network = new MemoryNetwork();
  private final RosterSource source = new MemoryNetFacility(network).rosters(operator).orElseThrow();

  private static Optional<SignedRoster> fetch(RosterSource from, long minSeq) {
    return from.fetch(minSeq).join();
  }

  @Test
  void shouldServeTheNewestRosterWhenEditionsArePublishedInAnyOrder() {
    Roster v2 = Roster.empty(operator.hex()).admit(GATEWAY, Role.GATEWAY);
    SignedRoster second = operator.sign(v2);
    SignedRoster third = operator.sign(v2.revoke(GATEWAY, null));
    assertEquals(Optional.empty(), fetch(source, 0), "nothing published yet");

    assertTrue(network.rosters().publish(third));
    assertFalse(network.rosters().publish(second), "an older seq never replaces a newer one");
    assertFalse(network.rosters().publish(third), "the same seq is already there");

    assertEquals(Optional.of(third), fetch(source, 0));
    assertEquals(Optional.of(third), fetch(source, 3));
    assertEquals(Optional.empty(), fetch(source, 4), "nothing at least as new as asked for");
  }

  @Test
  void shouldKeepNetworksApartWhenBothPublishOnOneNet() {
    NetworkKey other = NetworkKey.generate();
    network.rosters().publish(other.sign(Roster.empty(other.hex()).admit(GATEWAY, Role.GATEWAY)));

    assertEquals(Optional.empty(), fetch(source, 0), "another network's roster is not ours");
    RosterSource theirs = new MemoryNetFacility(network).rosters(other).orElseThrow();
    assertEquals(other.hex(), fetch(theirs, 0).orElseThrow().roster().network());
  }

  @Test
  void shouldRefuseAnotherNetworkWhenTheBoardIsFull() {
    for (int i = 0; i < MemoryRosters.MAX_NETWORKS; i++) {
      NetworkKey n = NetworkKey.generate();
      assertTrue(network.rosters().publish(n.sign(Roster.empty(n.hex()))));
    }
    IllegalStateException full = assertThrows(IllegalStateException.class,
        () -> network.rosters().publish(operator.sign(Roster.empty(operator.hex()))));
    assertTrue(full.getMessage().contains("at most " + MemoryRosters.MAX_NETWORKS), full.getMessage());
  }
}
