package io.hyperinfer.hyperdht;

import static io.hyperinfer.hyperdht.ConnectIT.echoServer;
import static io.hyperinfer.hyperdht.ConnectIT.seed;
import static io.hyperinfer.hyperdht.Js.addr;
import static io.hyperinfer.hyperdht.Js.addrs;
import static io.hyperinfer.hyperdht.Js.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.testkit.JsDriver;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HyperDHT connections between Java and the pinned JS on 127.0.0.1 (D2-1 to D2-7, D2-10): a Java testnet of five
 * nodes (bootstrapper and four persistent) and a JS testnet of five, with Java and JS clients and servers on each.
 * JS clients on the same host take the LAN path to a Java server (which offers a punch as well, see
 * {@link HolepunchInteropIT}).
 */
@Timeout(180)
class ConnectInteropIT {
  private static JsDriver js;
  private static Testnet javaNet;
  private static HyperDht javaServerNode;
  private static HyperDht firewalledClient;
  private static HyperDht reachableClient;
  private static HyperDht javaOnJsNet;

  @BeforeAll
  static void networks() {
    js = JsDriver.start("hyperdht/src/test/js/connect-driver.js");
    javaNet = Testnet.create(5);
    javaServerNode = javaNet.createNode();
    firewalledClient = javaNet.createNode(o -> o.withNode(o.node().withQuickFirewall(false)));
    reachableClient = javaNet.createNode(o -> o.withNode(o.node().withFirewalled(false)));
    js.ok("node", "name", "client", "bootstrap", addrs(javaNet.bootstrap()));
    JsonNode jsNet = js.ok("testnet", "prefix", "js", "size", 5);
    List<HostPort> jsBootstrap = addrs(jsNet.get("bootstrap"));
    js.ok("node", "name", "jsNetClient", "bootstrap", addrs(jsBootstrap));
    javaOnJsNet = HyperDht.create(HyperDhtOptions.DEFAULT.withHost("127.0.0.1").withBootstrap(jsBootstrap)
        .withMode(io.hyperinfer.dht.NodeOptions.Mode.EPHEMERAL));
    javaOnJsNet.ready().join();
  }

  @AfterAll
  static void close() {
    if (js != null) {
      js.close();
    }
    if (javaOnJsNet != null) {
      javaOnJsNet.close();
    }
    if (javaNet != null) {
      javaNet.close();
    }
  }

  private static Set<HostPort> javaRelays() {
    return new HashSet<>(javaNet.nodes().stream().map(HyperDht::localAddress).toList());
  }

  private static void assertEcho(String stream, int size) {
    JsonNode echo = js.ok("echo", "stream", stream, "size", size);
    assertEquals(echo.get("sent").asText(), echo.get("received").asText(), "the echo returned every byte");
  }

  @Test
  void shouldEchoAMegabyteFromAJsClientWhenJavaNodesRelay() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(11));
    List<byte[]> accepted = new CopyOnWriteArrayList<>();
    try (HyperDhtServer server = echoServer(javaServerNode, ServerOptions.DEFAULT, accepted)) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      assertTrue(javaRelays().containsAll(server.relayAddresses()), "Java relays: " + server.relayAddresses());

      JsonNode connected = js.ok("connect", "name", "client", "publicKey", hex(keys.publicKey()), "seed", 12);

      assertEquals(hex(keys.publicKey()), connected.get("remotePublicKey").asText());
      assertEcho(connected.get("stream").asText(), 1 << 20);
      assertEquals(1, accepted.size());
      assertArrayEquals(HyperDhtCrypto.keyPair(seed(12)).publicKey(), accepted.get(0));
      ConnectionStats.Server stats = server.stats();
      assertEquals(1, stats.settledHandshakes(), "one slot for the one message 1: " + stats);
      assertEquals(0, stats.pendingHandshakes());
      js.ok("closeStream", "stream", connected.get("stream").asText());
    }
  }

  @Test
  void shouldEchoAMegabyteFromAJsClientWhenJsNodesRelay() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(13));
    List<byte[]> accepted = new CopyOnWriteArrayList<>();
    try (HyperDhtServer server = echoServer(javaOnJsNet, ServerOptions.DEFAULT, accepted)) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      assertFalse(server.relayAddresses().isEmpty());
      assertTrue(server.relayAddresses().stream().noneMatch(javaRelays()::contains), "JS relays only");

      JsonNode connected = js.ok("connect", "name", "jsNetClient", "publicKey", hex(keys.publicKey()));

      assertEcho(connected.get("stream").asText(), 1 << 20);
      assertEquals(1, server.stats().settledHandshakes());
      js.ok("closeStream", "stream", connected.get("stream").asText());
    }
  }

  /** A firewalled Java client's connect to {@code publicKey}, and the path it took. */
  private static ConnectTrace.Path connectAndEcho(HyperDht client, String publicKey) throws Exception {
    return connectAndEcho(client, publicKey, ConnectOptions.DEFAULT);
  }

  private static ConnectTrace.Path connectAndEcho(HyperDht client, String publicKey, ConnectOptions options)
      throws Exception {
    AtomicReference<ConnectTrace> trace = new AtomicReference<>();
    SecretStream stream = client.connect(HexFormat.of().parseHex(publicKey),
        options.withTraceSink(trace::set), null).get(30, TimeUnit.SECONDS);
    assertJavaEcho(stream);
    return trace.get().path();
  }

  @Test
  void shouldConnectToAJsServerOnItsServerAddressWhenItIsReachable() throws Exception {
    js.ok("node", "name", "openServer", "bootstrap", addrs(javaNet.bootstrap()), "ephemeral", true, "firewalled",
        false);
    JsonNode state = js.ok("state", "name", "openServer");
    assertFalse(state.get("remoteAddress").isNull(), "the JS server node is reachable: " + state);
    JsonNode listening = js.ok("listen", "name", "openServer", "seed", 14);

    assertEquals(ConnectTrace.Path.OPEN, connectAndEcho(firewalledClient, listening.get("publicKey").asText()));
    js.ok("closeServer", "name", "openServer", "seed", 14);
  }

  @Test
  void shouldConnectToAJsServerOnTheLanPathWhenItIsFirewalled() throws Exception {
    js.ok("node", "name", "lanServer", "bootstrap", addrs(javaNet.bootstrap()), "ephemeral", true, "quickFirewall",
        false);
    JsonNode listening = js.ok("listen", "name", "lanServer", "seed", 15);
    // The LAN ping races the punch (as in JS), and on one host a punch can win: no fast-open probe (which also keeps
    // the server from probing back in round one) and a vetoed punch leave the LAN ping the only way in.
    ConnectOptions lanOnly = ConnectOptions.DEFAULT.withFastOpen(false).withHolepunch(HolepunchVeto.NEVER);

    assertEquals(ConnectTrace.Path.LAN, connectAndEcho(firewalledClient, listening.get("publicKey").asText(),
        lanOnly));
  }

  @Test
  void shouldTakeTheJsServersConnectionWhenTheJavaClientIsReachable() throws Exception {
    assertTrue(reachableClient.node().remoteAddress() != null, "the Java client is reachable (not firewalled)");
    js.ok("node", "name", "dialingServer", "bootstrap", addrs(javaNet.bootstrap()), "ephemeral", true,
        "quickFirewall", false);
    JsonNode listening = js.ok("listen", "name", "dialingServer", "seed", 28, "shareLocalAddress", false);

    assertEquals(ConnectTrace.Path.SERVER_FIRST, connectAndEcho(reachableClient, listening.get("publicKey").asText()));
  }

  @Test
  void shouldPunchWhenOnlyAPunchReachesTheJsServer() throws Exception {
    js.ok("node", "name", "hiddenServer", "bootstrap", addrs(javaNet.bootstrap()), "ephemeral", true,
        "quickFirewall", false);
    JsonNode listening = js.ok("listen", "name", "hiddenServer", "seed", 16, "shareLocalAddress", false);

    assertEquals(ConnectTrace.Path.PUNCHED, connectAndEcho(firewalledClient, listening.get("publicKey").asText()),
        "no public or LAN address offered: the connect punched (HolepunchInteropIT has the rest)");
  }

  private static void assertJavaEcho(SecretStream stream) throws Exception {
    byte[] m = "hello from java".getBytes();
    stream.write(m);
    assertArrayEquals(m, stream.read());
    stream.destroy();
  }

  @Test
  void shouldAnswerDirectlyWhenTheServersOwnNodeIsAsked() throws Exception {
    HyperDht persistent = javaNet.addPersistent(o -> o);
    KeyPair keys = HyperDhtCrypto.keyPair(seed(17));
    try (HyperDhtServer server = echoServer(persistent, ServerOptions.DEFAULT, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);

      JsonNode via = js.ok("handshakeVia", "name", "client", "publicKey", hex(keys.publicKey()), "relays",
          List.of(addr(persistent.localAddress())));

      assertFalse(via.get("relayed").get(0).asBoolean(), "the server answered itself");
      assertEcho(via.get("stream").asText(), 4096);
      assertEquals(1, server.stats().connections());
    }
  }

  @Test
  void shouldMakeOneConnectionWhenOneMessageArrivesThroughThreeRelays() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(18));
    try (HyperDhtServer server = echoServer(javaServerNode, ServerOptions.DEFAULT, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      assertEquals(3, server.relayAddresses().size());

      JsonNode via = js.ok("handshakeVia", "name", "client", "publicKey", hex(keys.publicKey()), "relays",
          addrs(server.relayAddresses()));

      JsonNode message2 = via.get("message2");
      assertEquals(3, message2.size());
      assertEquals(message2.get(0), message2.get(1), "identical message 2 through every relay");
      assertEquals(message2.get(0), message2.get(2));
      assertEcho(via.get("stream").asText(), 4096);
      ConnectionStats.Server stats = server.stats();
      assertEquals(1, stats.connections(), "exactly one connection: " + stats);
      assertEquals(1, stats.settledHandshakes());
      assertEquals(2, stats.duplicateHandshakes());
    }
  }

  @Test
  void shouldRejectByKeyBothWays() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(19));
    byte[] banned = HyperDhtCrypto.keyPair(seed(20)).publicKey();
    ServerOptions options = ServerOptions.DEFAULT.withFirewall((key, payload, from) -> !java.util.Arrays.equals(key,
        banned));
    try (HyperDhtServer server = echoServer(javaServerNode, options, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      // a JS node whose requests wait 100 ms per send, not dht-rpc's 1 s: the refused connect waits out its sends
      js.ok("node", "name", "refusedClient", "bootstrap", addrs(javaNet.bootstrap()), "requestTimeout", 100);
      assertEquals("PEER_CONNECTION_FAILED", js.error("connect", "name", "refusedClient", "publicKey",
          hex(keys.publicKey()), "seed", 20));
      JsonNode allowed = js.ok("connect", "name", "refusedClient", "publicKey", hex(keys.publicKey()), "seed", 21);
      assertEcho(allowed.get("stream").asText(), 1024);
    }

    KeyPair javaKeys = HyperDhtCrypto.keyPair(seed(22));
    js.ok("node", "name", "strictServer", "bootstrap", addrs(javaNet.bootstrap()), "ephemeral", true, "quickFirewall",
        false);
    JsonNode listening = js.ok("listen", "name", "strictServer", "seed", 23, "reject",
        List.of(hex(javaKeys.publicKey())));
    byte[] jsKey = HexFormat.of().parseHex(listening.get("publicKey").asText());
    CompletionException e = assertThrows(CompletionException.class, () -> firewalledClient.connect(jsKey,
        ConnectIT.REFUSED_FAST.withKeyPair(javaKeys), null).join());
    assertEquals(HyperDhtException.Code.PEER_CONNECTION_FAILED,
        assertInstanceOf(HyperDhtException.class, e.getCause()).code());
    assertJavaEcho(firewalledClient.connect(jsKey).get(30, TimeUnit.SECONDS));
  }

  @Test
  void shouldLeaveNoRecordForJsWhenTheJavaServerCloses() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(24));
    HyperDhtServer server = echoServer(javaServerNode, ServerOptions.DEFAULT, new CopyOnWriteArrayList<>());
    server.listen(keys).get(30, TimeUnit.SECONDS);
    assertEquals(3, js.ok("findPeer", "name", "client", "publicKey", hex(keys.publicKey())).size());

    server.close();

    assertEquals(0, js.ok("findPeer", "name", "client", "publicKey", hex(keys.publicKey())).size(),
        "the UNANNOUNCEs reached every relay");
  }

  @Test
  void shouldReconnectWhenTheServerRestartsWithTheSameKey() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(25));
    HyperDht first = javaNet.createNode();
    HyperDhtServer server = echoServer(first, ServerOptions.DEFAULT, new CopyOnWriteArrayList<>());
    server.listen(keys).get(30, TimeUnit.SECONDS);
    JsonNode before = js.ok("connect", "name", "client", "publicKey", hex(keys.publicKey()), "seed", 26);
    assertEcho(before.get("stream").asText(), 1024);
    first.close(); // the server closes with its node: a new process would come up on a new node

    HyperDht second = javaNet.createNode();
    try (HyperDhtServer again = echoServer(second, ServerOptions.DEFAULT, new CopyOnWriteArrayList<>())) {
      again.listen(keys).get(30, TimeUnit.SECONDS);
      JsonNode after = js.ok("connect", "name", "client", "publicKey", hex(keys.publicKey()), "seed", 26);
      assertEcho(after.get("stream").asText(), 1024);
      assertEquals(1, again.stats().connections());
    }
  }

  @Test
  void shouldPreconnectThroughTheRelaysOfATopicRecord() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(27));
    byte[] topic = HyperDhtCrypto.hash("d2-10 topic".getBytes());
    try (HyperDhtServer server = echoServer(javaServerNode, ServerOptions.DEFAULT, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      javaServerNode.announce(topic, keys, server.relayAddresses()).finished().get(30, TimeUnit.SECONDS);
      JsonNode record = js.ok("lookup", "name", "client", "topic", hex(topic)).get(0).get("peers").get(0);
      assertEquals(hex(keys.publicKey()), record.get("publicKey").asText());
      assertEquals(server.relayAddresses(), addrs(record.get("relayAddresses")));

      JsonNode connected = js.ok("connect", "name", "client", "publicKey", hex(keys.publicKey()),
          "relayAddresses", record.get("relayAddresses"), "noLookup", true, "timeoutMs", 15000);

      assertEcho(connected.get("stream").asText(), 1024);
    }
  }
}
