package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.QueryResult;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.dht.Response;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Announce;
import io.hyperinfer.hyperdht.wire.Peer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Topic records on a simulated network of HyperDHT nodes on virtual time ({@code index.js announce, lookup,
 * unannounce, findPeer} against {@code lib/persistent.js}): who stores, what lookups see, signatures, bumps, expiry.
 */
class HyperDhtRecordsTest {
  private static final byte[] TOPIC = HyperDhtCrypto.hash("topic".getBytes());
  private static final List<HostPort> RELAYS = List.of(new HostPort("10.9.9.9", 4000), new HostPort("10.9.9.8", 4001));

  private static boolean lists(LookupResult r, KeyPair k) {
    return r.peers().stream().anyMatch(p -> Arrays.equals(p.publicKey(), k.publicKey()));
  }

  private static long holders(QueryResult<LookupResult> found, KeyPair k) {
    return found.replies().stream().filter(r -> lists(r, k)).count();
  }

  @Test
  void shouldAnswerRecordCommandsUnknownWithCloserNodesWhenTheNodeIsEphemeral() {
    SimNet net = new SimNet(1, 6);
    HyperDht client = net.testnet.createNode();
    HyperDht ephemeral = net.testnet.createNode();
    HyperDht persistent = net.testnet.nodes().get(2);

    Response fromEphemeral = net.await(client.node().request(ephemeral.localAddress(), Command.LOOKUP.id(), TOPIC,
        null, null, RequestOptions.DEFAULT));
    assertEquals(Response.UNKNOWN_COMMAND, fromEphemeral.error());
    assertNull(fromEphemeral.token());
    assertTrue(!fromEphemeral.closerNodes().isEmpty(), "UNKNOWN_COMMAND still helps the walk");

    Response fromPersistent = net.await(client.node().request(persistent.localAddress(), Command.LOOKUP.id(), TOPIC,
        null, null, RequestOptions.DEFAULT));
    assertEquals(Response.OK, fromPersistent.error());
    assertNotNull(fromPersistent.token());
    assertNull(fromPersistent.value(), "nothing announced yet");
    assertEquals(0, ephemeral.stats().records());
  }

  @Test
  void shouldFindTheRecordOnEveryNodeWithAnIdWhenAnnounced() {
    SimNet net = new SimNet(2, 10);
    HyperDht announcer = net.testnet.createNode();
    HyperDht reader = net.testnet.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair();

    QueryResult<LookupResult> announced = net.await(announcer.announce(TOPIC, keys, RELAYS));
    assertEquals(10, announced.closestReplies().size(), "all ten testnet nodes have ids");

    QueryResult<LookupResult> found = net.await(reader.lookup(TOPIC));
    assertEquals(10, holders(found, keys), "every storing node lists the record");
    Peer record = found.replies().stream().filter(r -> lists(r, keys)).findFirst().orElseThrow().peers().get(0);
    assertEquals(RELAYS, record.relayAddresses());
    long stored = net.testnet.nodes().stream().mapToLong(n -> n.stats().records()).sum();
    assertEquals(10, stored);
  }

  @Test
  void shouldKeepOnlyThreeRelayAddressesWhenMoreAreAnnounced() {
    SimNet net = new SimNet(3, 5);
    HyperDht announcer = net.testnet.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair();
    List<HostPort> five = List.of(new HostPort("10.1.1.1", 1), new HostPort("10.1.1.2", 2),
        new HostPort("10.1.1.3", 3), new HostPort("10.1.1.4", 4), new HostPort("10.1.1.5", 5));

    net.await(announcer.announce(TOPIC, keys, five));

    LookupResult r = net.await(announcer.lookup(TOPIC)).replies().get(0);
    assertEquals(five.subList(0, 3), r.peers().get(0).relayAddresses());
  }

  @Test
  void shouldForgetTheRecordEverywhereWhenUnannounced() {
    SimNet net = new SimNet(4, 10);
    HyperDht client = net.testnet.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair();
    KeyPair other = HyperDhtCrypto.keyPair();
    net.await(client.announce(TOPIC, keys, RELAYS));
    net.await(client.announce(TOPIC, other, List.of()));

    net.await(client.unannounce(TOPIC, keys));

    QueryResult<LookupResult> found = net.await(client.lookup(TOPIC));
    assertEquals(0, holders(found, keys));
    assertEquals(10, holders(found, other), "another key's record stays");
  }

  @Test
  void shouldUnannounceFromNodesWhosePageIsFullEvenWhenThePageDoesNotShowOurRecord() {
    SimNet net = new SimNet(5, 6);
    HyperDht client = net.testnet.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair();
    net.await(client.announce(TOPIC, keys, List.of()));
    List<KeyPair> others = new ArrayList<>();
    for (int i = 0; i < RecordStorage.LOOKUP_LIMIT; i++) {
      others.add(HyperDhtCrypto.keyPair());
      net.await(client.announce(TOPIC, others.getLast(), List.of()));
    }

    net.await(client.unannounce(TOPIC, keys)); // every page is full: ours may sit behind it
    for (KeyPair other : others) {
      net.await(client.unannounce(TOPIC, other));
    }

    QueryResult<LookupResult> found = net.await(client.lookup(TOPIC));
    assertEquals(0, holders(found, keys), "no node kept our record behind its full page");
    assertTrue(found.replies().stream().allMatch(r -> r.peers().isEmpty()), "every record is gone");
  }

  @Test
  void shouldReplaceTheOldRecordWhenAnnouncedWithClear() {
    SimNet net = new SimNet(5, 8);
    HyperDht client = net.testnet.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair();
    byte[] otherTopic = HyperDhtCrypto.hash("other".getBytes());
    net.await(client.announce(TOPIC, keys, RELAYS));

    net.await(client.announce(TOPIC, keys, List.of(new HostPort("10.7.7.7", 7)),
        new AnnounceOptions(0, true, io.hyperinfer.dht.QueryOptions.DEFAULT)));

    QueryResult<LookupResult> found = net.await(client.lookup(TOPIC));
    assertEquals(8, holders(found, keys));
    for (LookupResult r : found.replies()) {
      assertEquals(List.of(new HostPort("10.7.7.7", 7)), r.peers().get(0).relayAddresses(), "the new record only");
    }
    assertEquals(0, net.await(client.lookup(otherTopic)).replies().size());
  }

  @Test
  void shouldRouteFindPeerToTheServerWhenItAnnouncesItsOwnKey() {
    SimNet net = new SimNet(6, 10);
    HyperDht server = net.testnet.createNode();
    HyperDht client = net.testnet.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair();

    net.await(server.announce(HyperDhtCrypto.hash(keys.publicKey()), keys, RELAYS));

    QueryResult<FindPeerResult> found = net.await(client.findPeer(keys.publicKey()));
    assertEquals(10, found.replies().size(), "each storing node routes to the server");
    for (FindPeerResult r : found.replies()) {
      assertArrayEquals(keys.publicKey(), r.peer().publicKey());
      assertEquals(RELAYS, r.peer().relayAddresses());
      assertNotNull(r.token());
    }
    assertEquals(0, net.testnet.nodes().get(1).stats().records(), "a self announce is a route, not a record");
    assertEquals(1, net.testnet.nodes().get(1).stats().routes());
    QueryResult<FindPeerResult> unhashed = net.await(client.findPeer(HyperDhtCrypto.hash(keys.publicKey()), false,
        io.hyperinfer.dht.QueryOptions.DEFAULT));
    assertEquals(10, unhashed.replies().size());
  }

  @Test
  void shouldShowTheBumpWhenAnnouncedWithOneAndIgnoreItWhenTooFarAhead() {
    SimNet net = new SimNet(7, 6);
    HyperDht client = net.testnet.createNode();
    long now = client.node().runtime().wallMs();
    net.await(client.announce(TOPIC, HyperDhtCrypto.keyPair(), List.of(),
        new AnnounceOptions(now + 1000, false, io.hyperinfer.dht.QueryOptions.DEFAULT)));
    net.await(client.announce(TOPIC, HyperDhtCrypto.keyPair(), List.of(),
        new AnnounceOptions(now + 61_000 + 1000, false, io.hyperinfer.dht.QueryOptions.DEFAULT)));

    for (LookupResult r : net.await(client.lookup(TOPIC)).replies()) {
      assertEquals(now + 1000, r.bump(), "a bump more than 60 s ahead is ignored");
      assertEquals(2, r.peers().size());
    }
  }

  @Test
  void shouldCheckBumpsAgainstTheWallClockWhenItDiffersFromTheLoopClock() {
    SimNet net = new SimNet(10, 4);
    HyperDht client = net.testnet.createNode();
    long clientNow = client.node().runtime().wallMs();
    for (HyperDht n : net.testnet.nodes()) {
      if (n != client) {
        ((io.hyperinfer.dht.sim.SimRuntime) n.node().runtime()).sleepWallClock(10 * 60_000);
      }
    }
    long bump = clientNow + 5 * 60_000;

    net.await(client.announce(TOPIC, HyperDhtCrypto.keyPair(), List.of(),
        new AnnounceOptions(bump, false, io.hyperinfer.dht.QueryOptions.DEFAULT)));

    for (LookupResult r : net.await(client.lookup(TOPIC)).replies()) {
      assertEquals(bump, r.bump(), "five minutes ahead of the loop clock, but not of the storing node's wall clock");
    }
  }

  @Test
  void shouldDropAndCountAnAnnounceWhoseSignatureIsForAnotherNode() {
    SimNet net = new SimNet(8, 5);
    HyperDht client = net.testnet.createNode();
    HyperDht storing = net.testnet.nodes().get(3);
    KeyPair keys = HyperDhtCrypto.keyPair();
    Response lookup = net.await(client.node().request(storing.localAddress(), Command.LOOKUP.id(), TOPIC, null,
        null, RequestOptions.DEFAULT));
    Peer record = new Peer(keys.publicKey(), List.of());
    byte[] wrongId = new byte[32];
    byte[] signature = Signatures.signAnnounce(TOPIC, lookup.token(), wrongId, new Announce(record, null, null, 0),
        keys);
    byte[] value = Compact.encode(Announce.CODEC, new Announce(record, null, signature, 0));

    Throwable silent = net.failure(client.node().request(storing.localAddress(), Command.ANNOUNCE.id(), TOPIC, value,
        lookup.token(), RequestOptions.DEFAULT.withRetry(false)));

    assertEquals(DhtException.Code.REQUEST_TIMEOUT, assertInstanceOf(DhtException.class, silent).code());
    assertEquals(1L, storing.stats().drops().get(DropReason.BAD_SIGNATURE));
    assertEquals(1L, storing.stats().totalDrops());
    assertEquals(0, storing.stats().records());
  }

  @Test
  void shouldExpireRecordsBetweenTwoThirdsAndFourThirdsOfTheirAgeWhenNotAnnouncedAgain() {
    SimNet net = new SimNet(9, 6);
    HyperDht client = net.testnet.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair();
    net.await(client.announce(TOPIC, keys, List.of()));

    net.network.runFor(13 * 60_000);
    assertEquals(6, holders(net.await(client.lookup(TOPIC)), keys), "alive at 13 min");

    net.network.runFor(14 * 60_000);
    assertEquals(0, holders(net.await(client.lookup(TOPIC)), keys), "gone at 27 min");
  }
}
