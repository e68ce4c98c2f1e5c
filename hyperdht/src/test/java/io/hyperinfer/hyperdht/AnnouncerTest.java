package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.dht.Response;
import io.hyperinfer.dht.sim.SimRuntime;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.HolepunchInfo.RelayInfo;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A server's announcer on a simulated network and virtual time ({@code lib/announcer.js}, plus Finding A). */
class AnnouncerTest {
  private static KeyPair keys(int seed) {
    byte[] s = new byte[32];
    java.util.Arrays.fill(s, (byte) seed);
    return HyperDhtCrypto.keyPair(s);
  }

  private static Announcer announcer(HyperDht server, KeyPair keys) {
    return new Announcer(server.node(), keys, HyperDhtCrypto.hash(keys.publicKey()));
  }

  /** A network of {@code size}, a server node and a client node on it, and the server's announcer, started. */
  private record Started(SimNet net, HyperDht server, HyperDht client, KeyPair keys, Announcer announcer) {
    static Started of(long seed, int size, int keySeed) {
      SimNet net = new SimNet(seed, size);
      HyperDht server = net.testnet.createNode();
      HyperDht client = net.testnet.createNode();
      KeyPair keys = AnnouncerTest.keys(keySeed);
      Announcer a = AnnouncerTest.announcer(server, keys);
      net.await(a.start());
      return new Started(net, server, client, keys, a);
    }
  }

  private static Set<HostPort> relaySet(Announcer a) {
    Set<HostPort> out = new HashSet<>();
    a.relays().forEach(r -> out.add(r.relayAddress()));
    return out;
  }

  /** Whether {@code node} answers FIND_PEER for {@code keys} with a record (it routes handshakes for it). */
  private static boolean routes(SimNet net, HyperDht from, HostPort node, KeyPair keys) {
    Response res = net.await(from.node().request(node, Command.FIND_PEER.id(), HyperDhtCrypto.hash(keys.publicKey()),
        null, null, RequestOptions.DEFAULT));
    return res.value() != null;
  }

  @Test
  void shouldCommitToTheThreeClosestNodesWhenStarted() {
    Started started = Started.of(21, 10, 1);
    SimNet net = started.net();
    KeyPair keys = started.keys();
    Announcer a = started.announcer();

    byte[] target = HyperDhtCrypto.hash(keys.publicKey());
    List<HostPort> closest = net.testnet.nodes().stream().filter(n -> n.node().id() != null)
        .sorted(Comparator.comparing(n -> distance(n.node().id(), target))).limit(3).map(HyperDht::localAddress)
        .toList();
    assertEquals(new HashSet<>(closest), relaySet(a), "the three nodes closest to hash(publicKey)");
    for (RelayInfo r : a.relays()) {
      assertEquals(started.server().node().socket().localAddress(), r.peerAddress(),
          "each relay saw the announcing socket");
      assertTrue(routes(net, started.client(), r.relayAddress(), keys));
    }
    assertEquals(3, a.relayAddresses().size());
    assertEquals(1, a.updates());
  }

  private static BigInteger distance(byte[] a, byte[] b) {
    byte[] x = new byte[32];
    for (int i = 0; i < 32; i++) {
      x[i] = (byte) (a[i] ^ b[i]);
    }
    return new BigInteger(1, x);
  }

  @Test
  void shouldUnannounceFromEveryRelayWhenStopped() {
    Started s = Started.of(22, 8, 2);
    Set<HostPort> relays = relaySet(s.announcer());

    s.net().await(s.announcer().stop());

    for (HostPort relay : relays) {
      assertFalse(routes(s.net(), s.client(), relay, s.keys()), relay + " forgot the route");
    }
  }

  @Test
  void shouldUnannounceRelaysThatDropOutOfTheClosestThree() {
    Started started = Started.of(23, 5, 3);
    SimNet net = started.net();
    HyperDht client = started.client();
    KeyPair keys = started.keys();
    Announcer a = started.announcer();
    Set<HostPort> before = relaySet(a);
    for (int i = 0; i < 25; i++) {
      net.testnet.addPersistent(o -> o);
    }

    a.refresh();
    net.network.runFor(() -> a.updates() >= 2, 60_000);
    net.network.runFor(10_000); // the unannounces of the dropped relays

    Set<HostPort> dropped = new HashSet<>(before);
    dropped.removeAll(relaySet(a));
    assertFalse(dropped.isEmpty(), "25 new nodes moved the closest three (seed 23)");
    for (HostPort relay : dropped) {
      assertFalse(routes(net, client, relay, keys), relay + " was unannounced");
    }
    for (HostPort relay : relaySet(a)) {
      assertTrue(routes(net, client, relay, keys), relay + " holds the route");
    }
  }

  @Test
  void shouldRefreshAfterAHundredPingRounds() {
    Started started = Started.of(24, 8, 4);
    SimNet net = started.net();
    Announcer a = started.announcer();

    net.network.runFor(290_000);
    assertEquals(1, a.updates(), "no refresh within 100 rounds of 3 s while the relays answer");
    net.network.runFor(20_000);
    assertEquals(2, a.updates(), "refreshed after them (about 5 min)");
  }

  @Test
  void shouldReannounceAtOnceWhenARelayStopsAnswering() {
    Started started = Started.of(25, 10, 5);
    SimNet net = started.net();
    Announcer a = started.announcer();
    HostPort dead = a.relays().get(0).relayAddress();
    net.testnet.nodes().stream().filter(n -> n.localAddress().equals(dead))
        .forEach(n -> ((SimRuntime) n.node().runtime()).kill());

    net.network.runFor(() -> a.updates() >= 2, 30_000);

    assertEquals(2, a.updates());
    assertFalse(relaySet(a).contains(dead));
    assertEquals(3, a.relays().size());
  }

  @Test
  void shouldReannounceAtOnceWhenARelaySeesUsAtAnotherAddress() {
    SimNet net = new SimNet(26, 8);
    HyperDht server = net.testnet.createNode(o -> o.withMode(NodeOptions.Mode.ADAPTIVE)
        .withNode(o.node().withQuickFirewall(false).withMode(NodeOptions.Mode.ADAPTIVE)));
    assertTrue(server.node().firewalled(), "sends from its client socket for now");
    Announcer a = announcer(server, keys(6));
    net.await(a.start());
    HostPort before = a.relays().get(0).peerAddress();

    net.network.runFor(() -> !server.node().firewalled(), 30 * 60_000); // adaptive: reachable after 20 min
    long drift = a.driftRefreshes();
    long updates = a.updates();
    net.network.runFor(() -> a.driftRefreshes() > drift && a.updates() > updates, 10_000);

    assertTrue(a.driftRefreshes() > drift, "the first ping round after the switch re-announced");
    for (RelayInfo r : a.relays()) {
      assertEquals(server.localAddress(), r.peerAddress(), "relays now forward to the server socket, not " + before);
    }
  }

  @Test
  void shouldBackOffWhenNoRelayAnswers() {
    Started started = Started.of(27, 5, 7);
    SimNet net = started.net();
    Announcer a = started.announcer();
    for (HyperDht n : net.testnet.nodes()) {
      if (n != started.server()) {
        ((SimRuntime) n.node().runtime()).kill();
      }
    }

    net.network.runFor(10 * 60_000);

    assertTrue(a.relays().isEmpty());
    long updates = a.updates();
    assertTrue(updates >= 6, "keeps trying (JS waits 5 min between tries): " + updates);
    assertTrue(updates <= 20, "but backs off to one try a minute, no busy loop: " + updates);
  }

  @Test
  void shouldStopCleanlyWhenStoppedBeforeItsFirstUpdateEnds() {
    SimNet net = new SimNet(29, 6);
    HyperDht server = net.testnet.createNode();
    Announcer a = announcer(server, keys(9));
    CompletableFuture<Void> first = a.start();
    CompletableFuture<Void> stopped = a.stop();
    net.await(stopped);
    net.await(first);
    long updates = a.updates();
    net.network.runFor(10 * 60_000);
    assertEquals(updates, a.updates(), "nothing runs after stop");
    a.refresh(); // a refresh after stop changes nothing
    net.network.runFor(10_000);
    assertEquals(updates, a.updates());
  }

  @Test
  void shouldCompleteStartWithoutAnnouncingWhenTheStopRanFirst() {
    SimNet net = new SimNet(31, 6);
    HyperDht server = net.testnet.createNode();
    HyperDht client = net.testnet.createNode();
    KeyPair keys = keys(11);
    Announcer a = announcer(server, keys);
    net.await(a.stop()); // the loop runs a stop queued before the start: the server closed as it began to listen

    CompletableFuture<Void> first = a.start();

    assertTrue(first.isDone() && !first.isCompletedExceptionally(), "start completes at once");
    net.network.runFor(60_000);
    assertEquals(0, a.updates(), "no update ran");
    assertTrue(a.relays().isEmpty());
    for (HyperDht node : net.testnet.nodes()) {
      assertFalse(routes(net, client, node.node().runtime().serverSocket().localAddress(), keys),
          "no node routes for a server that stopped before it announced");
    }
  }

  @Test
  void shouldAnswerIsRelayForThreeGenerations() {
    Started s = Started.of(28, 8, 8);
    Announcer a = s.announcer();
    HostPort relay = a.relays().get(0).relayAddress();

    assertTrue(s.server().onLoop(() -> a.isRelay(relay)));
    assertFalse(s.server().onLoop(() -> a.isRelay(new HostPort("10.255.255.1", 1))));
    assertNull(a.relays().stream().filter(r -> r.relayAddress().port() == 0).findAny().orElse(null));
  }
}
