package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.PutResult;
import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.network.NetworkException;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.Role;
import io.hyperinfer.network.Roster;
import io.hyperinfer.network.RosterBook;
import io.hyperinfer.network.RosterBook.Verdict;
import io.hyperinfer.network.SignedRoster;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The roster as a HyperDHT mutable record on a loopback testnet: publish, fetch, replace, and what is ignored. */
@Timeout(120)
class DhtRostersIT {
  private static final long WAIT = 60;
  private static final String GATEWAY = "01".repeat(32);

  @Test
  void shouldFetchTheNewestRosterWhenTheOperatorPublishesEditions() throws Exception {
    try (Testnet net = Testnet.create(4)) {
      NetworkKey operator = NetworkKey.generate();
      DhtRosters publisher = new DhtRosters(net.createNode(), operator);
      RosterBook book = new RosterBook(NetworkKey.parse(operator.hex()));
      DhtRosters worker = new DhtRosters(net.createNode(), book.network());
      SignedRoster v2 = operator.sign(Roster.empty(operator.hex()).admit(GATEWAY, Role.GATEWAY));
      SignedRoster v3 = operator.sign(v2.roster().revoke(GATEWAY, null));

      assertTrue(await(worker.fetch(0)).isEmpty(), "nothing published yet");
      PutResult put = await(publisher.publish(v2));
      assertTrue(put.stored() > 0);
      assertEquals(2, put.seq());
      assertEquals(Verdict.ACCEPTED, book.offer(await(worker.fetch(book.seq())).orElseThrow()));
      assertTrue(book.hasRole(HexFormat.of().parseHex(GATEWAY), Role.GATEWAY));

      await(publisher.publish(v3));
      assertEquals(Verdict.ACCEPTED, book.offer(await(worker.fetch(book.seq())).orElseThrow()));
      assertFalse(book.hasRole(HexFormat.of().parseHex(GATEWAY), Role.GATEWAY), "the newer roster replaced it");
      assertEquals(0, worker.malformed());
    }
  }

  @Test
  void shouldIgnoreReplayedAndForgedRostersWhenPublishedByOthers() throws Exception {
    try (Testnet net = Testnet.create(4)) {
      NetworkKey operator = NetworkKey.generate();
      HyperDht attackerNode = net.createNode();
      DhtRosters publisher = new DhtRosters(net.createNode(), operator);
      RosterBook book = new RosterBook(operator);
      DhtRosters worker = new DhtRosters(net.createNode(), NetworkKey.parse(operator.hex()));
      SignedRoster v2 = operator.sign(Roster.empty(operator.hex()).admit(GATEWAY, Role.GATEWAY));
      SignedRoster v3 = operator.sign(v2.roster().revoke(GATEWAY, null));
      await(publisher.publish(v3));

      ExecutionException replay = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> await(attackerNode.mutablePut(operator.keyPair().orElseThrow(), v2.encode(), 2)));
      assertTrue(replay.getCause().getMessage().contains("SEQ_TOO_LOW"), "nodes refuse an older seq: " + replay);
      NetworkKey attacker = NetworkKey.generate();
      SignedRoster forged = new SignedRoster(new Roster(operator.hex(), 9, null, v2.roster().members(),
          v2.roster().revoked()), attacker.sign(new Roster(attacker.hex(), 9, null, v2.roster().members(),
          v2.roster().revoked())).signature());
      await(attackerNode.mutablePut(attacker.keyPair().orElseThrow(), forged.encode(), 9));
      assertFailsWith(NetworkException.Code.FORGED, new DhtRosters(attackerNode, attacker).publish(forged));

      SignedRoster fetched = await(worker.fetch(0)).orElseThrow();
      assertEquals(v3, fetched, "the attacker cannot write under the network key");
      assertEquals(Verdict.ACCEPTED, book.offer(fetched));
      assertEquals(Verdict.STALE, book.offer(v2), "a replayed older roster handed over directly");
      assertEquals(Verdict.FORGED, book.offer(forged));
      assertFalse(book.hasRole(HexFormat.of().parseHex(GATEWAY), Role.GATEWAY));
    }
  }

  @Test
  void shouldCountGarbageAndRefusePublishingWithoutTheSecretWhenTheRecordIsBad() throws Exception {
    try (Testnet net = Testnet.create(4)) {
      NetworkKey operator = NetworkKey.generate();
      HyperDht node = net.createNode();
      await(node.mutablePut(operator.keyPair().orElseThrow(), new byte[] {1, 2, 3}, 5));
      DhtRosters worker = new DhtRosters(net.createNode(), NetworkKey.parse(operator.hex()));

      assertEquals(Optional.empty(), await(worker.fetch(0)));
      assertEquals(1, worker.malformed());
      SignedRoster v2 = operator.sign(Roster.empty(operator.hex()).admit(GATEWAY, Role.AUTH));
      assertFailsWith(NetworkException.Code.NO_SECRET_KEY, worker.publish(v2));
    }
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT, TimeUnit.SECONDS);
  }

  private static void assertFailsWith(NetworkException.Code code, CompletableFuture<?> future) {
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> future.get(WAIT, TimeUnit.SECONDS));
    assertEquals(code, assertInstanceOf(NetworkException.class, e.getCause()).code());
  }
}
