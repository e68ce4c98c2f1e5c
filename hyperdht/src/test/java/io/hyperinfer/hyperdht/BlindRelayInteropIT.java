package io.hyperinfer.hyperdht;

import static io.hyperinfer.hyperdht.ConnectIT.echoServer;
import static io.hyperinfer.hyperdht.ConnectIT.seed;
import static io.hyperinfer.hyperdht.Js.addrs;
import static io.hyperinfer.hyperdht.Js.hex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.testkit.JsDriver;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Blind relays between Java and the pinned JS (hyperdht 6.34.0, blind-relay 1.6.1) on 127.0.0.1: a Java testnet of
 * 10 nodes, firewalled Java and JS peers on it whose servers never punch and whose clients skip the LAN, so the relay
 * is the only path; a Java relay and a JS relay. Each test pairs through one relay, chosen by the client or by the
 * server, and echoes bytes end to end.
 */
@Timeout(180)
class BlindRelayInteropIT {
  private static final ConnectOptions NO_LAN = ConnectOptions.DEFAULT.withLocalConnection(false);
  /**
   * How long an upgraded Java side keeps its relay in the upgrade tests, instead of the 5 s default: the tests wait
   * for the relay to be let go, and loopback packets still in flight through it arrive within milliseconds.
   */
  private static final Duration LINGER = Duration.ofMillis(500);
  private static final ServerOptions NO_PUNCH = ServerOptions.DEFAULT.withShareLocalAddress(false)
      .withHolepunch(HolepunchVeto.NEVER);
  private static JsDriver js;
  private static Testnet javaNet;
  private static HyperDht javaServerNode;
  private static HyperDht javaClientNode;
  private static BlindRelayServer javaRelay;
  private static byte[] javaRelayKey;
  private static byte[] jsRelayKey;

  @BeforeAll
  static void networks() throws Exception {
    js = JsDriver.start("hyperdht/src/test/js/relay-driver.js");
    javaNet = Testnet.create(10);
    javaServerNode = javaNet.createNode(o -> o.withNode(o.node().withQuickFirewall(false)));
    javaClientNode = javaNet.createNode(o -> o.withNode(o.node().withQuickFirewall(false)));
    HyperDht relayNode = javaNet.createNode();
    javaRelay = new BlindRelayServer(relayNode);
    HyperDhtServer relayServer = relayNode.createServer(ServerOptions.DEFAULT.withShareLocalAddress(false), javaRelay);
    relayServer.listen(HyperDhtCrypto.keyPair(seed(70))).get(30, TimeUnit.SECONDS);
    javaRelayKey = relayServer.publicKey();
    for (String name : new String[] {"jsClient", "jsServer"}) {
      JsonNode state = js.ok("node", "name", name, "bootstrap", addrs(javaNet.bootstrap()), "ephemeral", true,
          "quickFirewall", false);
      assertTrue(state.get("firewalled").asBoolean(), name + " is firewalled: " + state);
    }
    js.ok("node", "name", "jsRelay", "bootstrap", addrs(javaNet.bootstrap()));
    jsRelayKey = HexFormat.of().parseHex(js.ok("relayServer", "name", "jsRelay", "seed", 71).get("publicKey")
        .asText());
  }

  @AfterAll
  static void close() {
    if (js != null) {
      js.close();
    }
    if (javaRelay != null) {
      javaRelay.close();
    }
    if (javaNet != null) {
      javaNet.close();
    }
  }

  private static long jsRelayMatched() {
    return js.ok("relayStats", "name", "jsRelay").get("matched").asLong();
  }

  /**
   * A JS client's connect to a Java server through {@code relay}, its punch vetoed (else its fast-open probe may
   * upgrade the relayed stream, which the upgrade tests cover); the path the JS client's stream took.
   */
  private static String jsClientToJavaServer(int seed, ServerOptions options, byte[] clientRelay) throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(seed));
    try (HyperDhtServer server = echoServer(javaServerNode, options, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      JsonNode connected = clientRelay == null
          ? js.ok("connect", "name", "jsClient", "publicKey", hex(keys.publicKey()), "punch", false)
          : js.ok("connect", "name", "jsClient", "publicKey", hex(keys.publicKey()), "relayThrough", hex(clientRelay),
              "punch", false);
      String stream = connected.get("stream").asText();
      JsonNode echo = js.ok("echo", "stream", stream, "size", 256 * 1024);
      assertEquals(echo.get("sent").asText(), echo.get("received").asText(), "the echo returned every byte");
      JsonNode path = js.ok("streamPath", "stream", stream);
      js.ok("closeStream", "stream", stream);
      assertEquals(1, server.stats().connections());
      return path.get("path").asText() + (path.get("path").asText().equals("relay") ? "" : " " + path);
    }
  }

  /** A Java client's connect to a JS server; the trace of the connect, after an echo. */
  private static ConnectTrace javaClientToJsServer(int seed, byte[] serverRelay, ConnectOptions options)
      throws Exception {
    JsonNode listening = serverRelay == null ? js.ok("listen", "name", "jsServer", "seed", seed)
        : js.ok("listen", "name", "jsServer", "seed", seed, "relayThrough", hex(serverRelay));
    AtomicReference<ConnectTrace> trace = new AtomicReference<>();
    SecretStream stream = javaClientNode.connect(HexFormat.of().parseHex(listening.get("publicKey").asText()),
        options.withTraceSink(trace::set), null).get(30, TimeUnit.SECONDS);
    assertEchoes(stream);
    stream.destroy();
    js.ok("closeServer", "name", "jsServer", "seed", seed);
    return trace.get();
  }

  private static void assertEchoes(SecretStream stream) {
    for (int i = 0; i < 16; i++) {
      byte[] m = new byte[1 + i * 4096];
      new SplittableRandom(i).nextBytes(m);
      stream.write(m);
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      while (got.size() < m.length) {
        got.writeBytes(stream.read()); // JS echoes by piping, which may split or merge messages
      }
      assertArrayEquals(m, got.toByteArray(), "message " + i + " came back intact");
    }
  }

  @Test
  void shouldEchoWhenAJavaClientPairsThroughAJsRelayToAJsServer() throws Exception {
    long before = jsRelayMatched();

    ConnectTrace trace = javaClientToJsServer(72, null, NO_LAN.withRelayThrough(RelayThrough.of(jsRelayKey)));

    assertEquals(ConnectTrace.Path.RELAYED, trace.path(), trace.toString());
    assertEquals(before + 1, jsRelayMatched(), "the JS relay paired the two");
  }

  @Test
  void shouldEchoWhenAJsClientPairsThroughAJsRelayToAJavaServer() throws Exception {
    long before = jsRelayMatched();

    assertEquals("relay", jsClientToJavaServer(73, NO_PUNCH, jsRelayKey));

    assertEquals(before + 1, jsRelayMatched(), "the JS relay paired the two");
  }

  @Test
  void shouldEchoWhenJsPeersPairThroughAJavaRelay() throws Exception {
    long before = javaRelay.stats().pairingsMatched();
    JsonNode listening = js.ok("listen", "name", "jsServer", "seed", 74);

    JsonNode connected = js.ok("connect", "name", "jsClient", "publicKey", listening.get("publicKey").asText(),
        "relayThrough", hex(javaRelayKey), "punch", false);

    JsonNode echo = js.ok("echo", "stream", connected.get("stream").asText(), "size", 1 << 20);
    assertEquals(echo.get("sent").asText(), echo.get("received").asText(), "a megabyte crossed the Java relay");
    assertEquals(before + 1, javaRelay.stats().pairingsMatched(), "the Java relay paired the two");
    js.ok("closeStream", "stream", connected.get("stream").asText());
    js.ok("closeServer", "name", "jsServer", "seed", 74);
  }

  @Test
  void shouldEchoWhenJavaPeersPairThroughAJsRelay() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(75));
    long before = jsRelayMatched();
    try (HyperDhtServer server = echoServer(javaServerNode, NO_PUNCH, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      AtomicReference<ConnectTrace> trace = new AtomicReference<>();

      SecretStream stream = javaClientNode.connect(keys.publicKey(), NO_LAN.withTraceSink(trace::set)
          .withRelayThrough(RelayThrough.of(jsRelayKey)), null).get(30, TimeUnit.SECONDS);

      assertEquals(ConnectTrace.Path.RELAYED, trace.get().path(), trace.get().toString());
      assertEchoes(stream);
      assertEquals(before + 1, jsRelayMatched(), "the JS relay paired the two");
      stream.destroy();
    }
  }

  @Test
  void shouldPairThroughTheRelayAJsServerChoseWhenAJavaClientConnects() throws Exception {
    long before = javaRelay.stats().pairingsMatched();

    ConnectTrace trace = javaClientToJsServer(76, javaRelayKey, NO_LAN);

    assertEquals(ConnectTrace.Path.RELAYED, trace.path(), trace.toString());
    assertEquals(before + 1, javaRelay.stats().pairingsMatched(), "the Java relay the JS server named paired them");
  }

  @Test
  void shouldPairThroughTheRelayAJavaServerChoseWhenAJsClientConnects() throws Exception {
    long before = jsRelayMatched();

    assertEquals("relay", jsClientToJavaServer(77, NO_PUNCH.withRelayThrough(RelayThrough.of(jsRelayKey)), null));

    assertEquals(before + 1, jsRelayMatched(), "the JS relay the Java server named paired them");
  }

  /**
   * A Java client's connect to {@code serverKey} through the JS relay, its punch let go only once the relay paired
   * (so the relay wins and the punch may upgrade it); the connect's trace lands in {@code trace}.
   */
  private static SecretStream relayedThenPunching(byte[] serverKey, AtomicReference<ConnectTrace> trace)
      throws Exception {
    SecretStream stream = javaClientNode.connect(serverKey, punchAfterTheRelay(NO_LAN.withFastOpen(false)
        .withRelayLinger(LINGER), javaClientNode).withTraceSink(trace::set).withRelayThrough(RelayThrough.of(jsRelayKey)), null)
        .get(30, TimeUnit.SECONDS);
    assertEquals(ConnectTrace.Path.RELAYED, trace.get().path(), trace.get().toString());
    return stream;
  }

  /** A client-side veto that lets the punch go only once the relay paired: the relay wins, the punch upgrades it. */
  private static ConnectOptions punchAfterTheRelay(ConnectOptions options, HyperDht node) {
    long paired = node.relayStats().successes();
    return options.withHolepunch((remote, local, remoteAddrs, localAddrs) -> {
      await().atMost(Duration.ofSeconds(15)).until(() -> node.relayStats().successes() > paired);
      return true;
    });
  }

  @Test
  void shouldUpgradeToAPunchedPathWhenAJavaClientRelayedThroughAJsRelayToAPunchingJsServer() throws Exception {
    JsonNode listening = js.ok("listen", "name", "jsServer", "seed", 78, "punch", true);
    long upgrades = javaClientNode.relayStats().upgrades();
    long releases = javaClientNode.relayStats().releases();
    AtomicReference<ConnectTrace> trace = new AtomicReference<>();

    SecretStream stream = relayedThenPunching(HexFormat.of().parseHex(listening.get("publicKey").asText()), trace);

    assertEchoes(stream);
    await().atMost(Duration.ofSeconds(20)).until(() -> javaClientNode.relayStats().upgrades() == upgrades + 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> "direct".equals(
        js.ok("paths", "name", "jsServer", "seed", 78).get(0).asText()));
    assertEchoes(stream);
    // past the linger the relay is let go: the connection must not depend on it any more
    await().atMost(Duration.ofSeconds(20)).until(() -> javaClientNode.relayStats().releases() == releases + 1);
    assertEchoes(stream);
    stream.destroy();
    js.ok("closeServer", "name", "jsServer", "seed", 78);
  }

  @Test
  void shouldStayConnectedWhenJavaPeersRelayedThroughAJsRelayMoveToThePunchedPath() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(79));
    RelayStats.Snapshot client = javaClientNode.relayStats();
    RelayStats.Snapshot serverSide = javaServerNode.relayStats();
    try (HyperDhtServer server = echoServer(javaServerNode, ServerOptions.DEFAULT.withShareLocalAddress(false)
        .withRelayLinger(LINGER), new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      AtomicReference<ConnectTrace> trace = new AtomicReference<>();

      SecretStream stream = relayedThenPunching(keys.publicKey(), trace);

      await().atMost(Duration.ofSeconds(20)).alias("client upgrade " + trace.get())
          .until(() -> javaClientNode.relayStats().upgrades() == client.upgrades() + 1);
      // the server either moves too (most runs) or took the client's direct packets before its own relay answered;
      // either way the stream must outlive the relay, which both sides let go after the linger
      assertEchoes(stream);
      await().atMost(Duration.ofSeconds(20)).until(() -> javaClientNode.relayStats().releases() == client.releases() + 1
          && relayLetGoIfUpgraded(javaServerNode.relayStats(), serverSide));
      assertEchoes(stream);
      stream.destroy();
    }
  }

  @Test
  void shouldStayConnectedWhenAJavaServerStillHasRelayedBytesInFlightAsItMovesToThePunchedPath() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(80));
    long clientReleases = javaClientNode.relayStats().releases();
    long clientUpgrades = javaClientNode.relayStats().upgrades();
    long serverUpgrades = javaServerNode.relayStats().upgrades();
    // the server floods until the client has moved and let its relay go, then marks the end and echoes:
    // its bytes are in flight through the relay when the client's first direct packet reaches it, so its own move
    // waits for the client's later direct acks (which it once refused, its handshake slot having settled)
    try (HyperDhtServer server = javaServerNode.createServer(ServerOptions.DEFAULT.withShareLocalAddress(false)
        .withRelayLinger(LINGER), connection -> {
          SecretStream s = connection.start();
          long noUpgradeBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (System.nanoTime() < noUpgradeBy && javaClientNode.relayStats().releases() == clientReleases) {
            s.write(new byte[16 * 1024]);
          }
          s.write(new byte[] {1});
          byte[] m;
          while ((m = s.read()) != null) {
            s.write(m);
          }
          s.end();
        })) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      SecretStream stream = relayedThenPunching(keys.publicKey(), new AtomicReference<>());

      long flooded = 0;
      for (byte[] m = stream.read(); m.length != 1; m = stream.read()) {
        flooded += m.length;
      }

      assertTrue(flooded > 0, "the server flooded before its end mark");
      assertEquals(clientUpgrades + 1, javaClientNode.relayStats().upgrades(), "the client moved to the punched path");
      assertEquals(serverUpgrades + 1, javaServerNode.relayStats().upgrades(), "the server moved to the punched path");
      assertEchoes(stream);
      stream.destroy();
    }
  }

  /** Whether a Java side that moved to the punched path since {@code before} has let its relay go too. */
  private static boolean relayLetGoIfUpgraded(RelayStats.Snapshot now, RelayStats.Snapshot before) {
    return now.releases() - before.releases() == now.upgrades() - before.upgrades();
  }
}
