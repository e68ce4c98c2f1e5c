package io.hyperinfer.hyperdht;

import static io.hyperinfer.hyperdht.ConnectIT.echoServer;
import static io.hyperinfer.hyperdht.ConnectIT.seed;
import static io.hyperinfer.hyperdht.Js.addrs;
import static io.hyperinfer.hyperdht.Js.hex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.testkit.JsDriver;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Holepunching between Java and the pinned JS on 127.0.0.1 (the notes' D3-1 to D3-3): a Java testnet of 10 nodes, a
 * firewalled Java client and server, and JS ephemeral nodes on it. The LAN shortcut is off on both sides
 * ({@code localConnection:false}, {@code shareLocalAddress:false}), so the only path is a punch: with fast open the
 * server's probe in the first round connects; without it, both sides punch as consistent NATs in round two.
 */
@Timeout(180)
class HolepunchInteropIT {
  private static final ConnectOptions NO_LAN = ConnectOptions.DEFAULT.withLocalConnection(false);
  private static final ServerOptions NOT_SHARED = ServerOptions.DEFAULT.withShareLocalAddress(false);
  private static JsDriver js;
  private static Testnet javaNet;
  private static HyperDht javaServerNode;
  private static HyperDht javaClientNode;

  @BeforeAll
  static void networks() {
    js = JsDriver.start("hyperdht/src/test/js/connect-driver.js");
    javaNet = Testnet.create(10);
    javaServerNode = javaNet.createNode(o -> o.withNode(o.node().withQuickFirewall(false)));
    javaClientNode = javaNet.createNode(o -> o.withNode(o.node().withQuickFirewall(false)));
    for (String name : new String[] {"jsClient", "jsServer"}) {
      JsonNode state = js.ok("node", "name", name, "bootstrap", addrs(javaNet.bootstrap()), "ephemeral", true,
          "quickFirewall", false);
      assertTrue(state.get("firewalled").asBoolean(), name + " is firewalled: " + state);
    }
  }

  @AfterAll
  static void close() {
    if (js != null) {
      js.close();
    }
    if (javaNet != null) {
      javaNet.close();
    }
  }

  private static void assertEcho(String stream) {
    JsonNode echo = js.ok("echo", "stream", stream, "size", 4096);
    assertEquals(echo.get("sent").asText(), echo.get("received").asText(), "the echo returned every byte");
    js.ok("closeStream", "stream", stream);
  }

  /** A JS client's connect to a Java server; the JS socket kind it ended on. */
  private static String jsClientPunches(int seed, Boolean fastOpen) throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(seed));
    try (HyperDhtServer server = echoServer(javaServerNode, NOT_SHARED, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      JsonNode connected = fastOpen == null
          ? js.ok("connect", "name", "jsClient", "publicKey", hex(keys.publicKey()), "localConnection", false)
          : js.ok("connect", "name", "jsClient", "publicKey", hex(keys.publicKey()), "localConnection", false,
              "fastOpen", fastOpen);
      assertEcho(connected.get("stream").asText());
      assertEquals(1, server.stats().connections());
      return connected.get("socket").asText();
    }
  }

  /** A Java client's connect to a JS server (listening with {@code seed}); the trace of the connect. */
  private static ConnectTrace javaClientPunches(int seed, ConnectOptions options) throws Exception {
    JsonNode listening = js.ok("listen", "name", "jsServer", "seed", seed, "shareLocalAddress", false);
    AtomicReference<ConnectTrace> trace = new AtomicReference<>();
    SecretStream stream = javaClientNode.connect(HexFormat.of().parseHex(listening.get("publicKey").asText()),
        options.withTraceSink(trace::set), null).get(30, TimeUnit.SECONDS);
    byte[] m = "punched from java".getBytes();
    stream.write(m);
    assertArrayEquals(m, stream.read());
    stream.destroy();
    return trace.get();
  }

  @Test
  void shouldPunchWithFastOpenWhenAJsClientConnectsToAJavaServer() throws Exception {
    assertEquals("puncher", jsClientPunches(51, null), "D3-1: the JS client runs on a puncher socket");
  }

  @Test
  void shouldPunchWithFastOpenWhenAJavaClientConnectsToAJsServer() throws Exception {
    ConnectTrace trace = javaClientPunches(52, NO_LAN);

    assertEquals(ConnectTrace.Path.PUNCHED, trace.path(), trace.toString());
    assertEquals("puncher", js.ok("accepted", "name", "jsServer", "seed", 52).get(0).asText(),
        "the JS server accepted on its puncher socket");
  }

  @Test
  void shouldPunchInRoundTwoWhenAJsClientWithoutFastOpenConnectsToAJavaServer() throws Exception {
    long jsBefore = js.ok("punches", "name", "jsClient").get("consistent").asLong();
    long javaBefore = javaServerNode.punchStats().consistent();

    assertEquals("puncher", jsClientPunches(53, false));

    assertEquals(jsBefore + 1, js.ok("punches", "name", "jsClient").get("consistent").asLong(),
        "D3-2: the JS client punched as consistent");
    assertEquals(javaBefore + 1, javaServerNode.punchStats().consistent(), "and so did the Java server");
  }

  @Test
  void shouldPunchInRoundTwoWhenAJavaClientWithoutFastOpenConnectsToAJsServer() throws Exception {
    long jsBefore = js.ok("punches", "name", "jsServer").get("consistent").asLong();
    long javaBefore = javaClientNode.punchStats().consistent();

    ConnectTrace trace = javaClientPunches(54, NO_LAN.withFastOpen(false));

    assertEquals(ConnectTrace.Path.PUNCHED, trace.path(), trace.toString());
    assertEquals(jsBefore + 1, js.ok("punches", "name", "jsServer").get("consistent").asLong(),
        "D3-2: the JS server punched as consistent");
    assertEquals(javaBefore + 1, javaClientNode.punchStats().consistent(), trace.toString());
  }

  @Test
  void shouldFailWithRemoteAbortedWhenTheJsServerVetoesTheJavaClientsPunch() throws Exception {
    JsonNode listening = js.ok("listen", "name", "jsServer", "seed", 55, "shareLocalAddress", false, "vetoPunch",
        true);

    CompletionException e = assertThrows(CompletionException.class, () -> javaClientNode.connect(
        HexFormat.of().parseHex(listening.get("publicKey").asText()), NO_LAN.withFastOpen(false), null).join());

    HyperDhtException cause = assertInstanceOf(HyperDhtException.class, e.getCause());
    assertEquals(HyperDhtException.Code.REMOTE_ABORTED, cause.code(), cause.trace().toString());
    assertNoOpenPoolSockets(javaClientNode);
  }

  @Test
  void shouldFailWithHolepunchAbortedWhenTheJavaClientVetoesAJsServer() throws Exception {
    JsonNode listening = js.ok("listen", "name", "jsServer", "seed", 56, "shareLocalAddress", false);

    CompletionException e = assertThrows(CompletionException.class, () -> javaClientNode.connect(
        HexFormat.of().parseHex(listening.get("publicKey").asText()),
        NO_LAN.withFastOpen(false).withHolepunch(HolepunchVeto.NEVER), null).join());

    HyperDhtException cause = assertInstanceOf(HyperDhtException.class, e.getCause());
    assertEquals(HyperDhtException.Code.HOLEPUNCH_ABORTED, cause.code(), cause.trace().toString());
    assertNoOpenPoolSockets(javaClientNode);
  }

  @Test
  void shouldAbortTheJsClientsPunchWhenTheJavaServerVetoes() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(57));
    // a veto callback (not NEVER, which sets up no puncher at all): the server sampled, then refuses the punch
    AtomicInteger vetoes = new AtomicInteger();
    ServerOptions vetoing = NOT_SHARED.withHolepunch((remote, local, remoteAddrs, localAddrs) -> {
      vetoes.incrementAndGet();
      return false;
    });
    try (HyperDhtServer server = echoServer(javaServerNode, vetoing, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);

      // JS destroys its puncher on the REMOTE_ABORTED reply, and the puncher's abort hook reports first
      assertEquals("HOLEPUNCH_ABORTED", js.error("connect", "name", "jsClient", "publicKey", hex(keys.publicKey()),
          "localConnection", false, "fastOpen", false));
      assertEquals(1, vetoes.get(), "the Java server's veto ran once, for the punching round");
      assertEquals(0, server.stats().connections());

      assertNoOpenPoolSockets(javaServerNode);
    }
  }

  @Test
  void shouldLeaveTheJavaServerWithoutPunchSocketsWhenTheJsClientVetoes() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(58));
    try (HyperDhtServer server = echoServer(javaServerNode, NOT_SHARED, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);

      assertEquals("HOLEPUNCH_ABORTED", js.error("connect", "name", "jsClient", "publicKey", hex(keys.publicKey()),
          "localConnection", false, "fastOpen", false, "vetoPunch", true));

      assertNoOpenPoolSockets(javaServerNode);
      assertEquals(0, server.stats().connections());
    }
  }

  private static void assertNoOpenPoolSockets(HyperDht node) {
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      PunchStats.Snapshot s = node.punchStats();
      assertEquals(s.socketsOpened(), s.socketsClosed(), "every pool socket closed: " + s);
    });
  }
}
