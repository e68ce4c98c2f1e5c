package io.hyperinfer.rpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtCrypto;
import io.hyperinfer.hyperdht.HyperDhtException;
import io.hyperinfer.hyperdht.HyperDhtServer;
import io.hyperinfer.hyperdht.ServerOptions;
import io.hyperinfer.hyperdht.ConnectOptions;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.testkit.JsDriver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * @hyperswarm/rpc over HyperDHT connections between Java and the pinned JS (D2-8), on a Java testnet of five nodes on
 * 127.0.0.1: 20,000 pipelined requests, idle on keepalives, capability, error mapping, events back on the
 * caller's connection, the caller's proven key, and a server restarted with the same key; each both ways.
 */
@Timeout(240)
class HyperswarmRpcInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static JsDriver js;
  private static Testnet net;
  private static HyperDht javaNode;
  private static String jsNodeKey;

  @BeforeAll
  static void network() {
    js = JsDriver.start("rpc/src/test/js/hyperswarm-rpc-driver.js");
    net = Testnet.create(5);
    javaNode = net.createNode(o -> o.withNode(o.node().withQuickFirewall(false)));
    jsNodeKey = js.ok("node", "name", "js", "bootstrap", addrs(net.bootstrap()), "quickFirewall", false)
        .get("publicKey").asText();
  }

  @AfterAll
  static void close() {
    if (js != null) {
      js.close();
    }
    if (net != null) {
      net.close();
    }
  }

  static List<Map<String, Object>> addrs(List<HostPort> list) {
    return list.stream().map(a -> Map.<String, Object>of("host", a.host(), "port", a.port())).toList();
  }

  static KeyPair keys(int seed) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) seed);
    return HyperDhtCrypto.keyPair(s);
  }

  private static HyperswarmRpc javaRpc(int seed) {
    return new HyperswarmRpc(javaNode, HyperswarmRpcOptions.DEFAULT.withKeyPair(keys(seed)));
  }

  /** A Java server with the methods the JS driver's server has. */
  private static HyperswarmRpcServer javaServer(HyperswarmRpc rpc, HyperswarmRpcServer.Options options) {
    return rpc.createServer(options)
        .respond("echo", RpcRequest::value)
        .respond("fail", r -> {
          throw new IllegalStateException("boom");
        })
        .respond("failCoded", r -> {
          throw RpcException.application("E_CODED", "coded boom", "some context");
        })
        .respond("whoami", r -> r.session().remotePublicKey())
        .respond("notify", r -> {
          r.session().event("pong", r.value());
          return "ok".getBytes(StandardCharsets.UTF_8);
        });
  }

  private static String jsServer(int seed, Object... extra) {
    List<Object> args = new ArrayList<>(List.of("name", "js", "seed", seed));
    args.addAll(List.of(extra));
    return js.ok("server", args.toArray()).get("publicKey").asText();
  }

  @Test
  void shouldAnswerTwentyThousandPipelinedRequestsBothWays() throws Exception {
    try (HyperswarmRpc rpc = javaRpc(40); HyperswarmRpcServer server = javaServer(rpc, HyperswarmRpcServer.Options.DEFAULT)) {
      server.listen().get(30, TimeUnit.SECONDS);
      JsonNode fromJs = js.ok("pipelined", "name", "js", "seed", 41, "publicKey", HEX.formatHex(rpc.keyPair().publicKey()),
          "count", 20_000);
      assertEquals(20_000, fromJs.get("ok").asInt(), "every JS request answered with its own value");
    }

    byte[] jsKey = HEX.parseHex(jsServer(42));
    try (HyperswarmRpc rpc = javaRpc(43)) {
      List<CompletableFuture<byte[]>> calls = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        calls.add(rpc.request(jsKey, "echo", value(i), Duration.ofSeconds(60)));
      }
      for (int i = 0; i < calls.size(); i++) {
        assertArrayEquals(value(i), calls.get(i).get(60, TimeUnit.SECONDS));
      }
      assertEquals(1, rpc.pooledClients(), "one pooled connection carried them all");
    }
  }

  private static byte[] value(int i) {
    return ("request-" + i).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Both connections sit idle for several keepalive intervals, so only keepalives cross them; the interval is 400 ms
   * on both sides here (JS's {@code connectionKeepAlive}, our connect and server {@code keepAlive}; 5 s by default),
   * so 1.5 s of idleness carries three or more of them each way instead of the default's one in 6 s.
   */
  @Test
  void shouldStayConnectedThroughIdleKeepAliveIntervalsBothWays() throws Exception {
    Duration keepAlive = Duration.ofMillis(400);
    js.ok("node", "name", "jsIdle", "bootstrap", addrs(net.bootstrap()), "quickFirewall", false,
        "connectionKeepAlive", keepAlive.toMillis());
    byte[] jsKey = HEX.parseHex(js.ok("server", "name", "jsIdle", "seed", 44).get("publicKey").asText());
    HyperswarmRpcOptions options = HyperswarmRpcOptions.DEFAULT.withKeyPair(keys(45))
        .withConnect(ConnectOptions.DEFAULT.withKeepAlive(keepAlive));
    try (HyperswarmRpc rpc = new HyperswarmRpc(javaNode, options);
        HyperswarmRpcServer server = javaServer(rpc,
            HyperswarmRpcServer.Options.DEFAULT.withDht(ServerOptions.DEFAULT.withKeepAlive(keepAlive)))) {
      server.listen().get(30, TimeUnit.SECONDS);
      String javaKey = HEX.formatHex(rpc.keyPair().publicKey());
      RpcClient client = rpc.connect(jsKey, null);
      assertArrayEquals(value(1), client.call("echo", value(1), Duration.ofSeconds(20)));
      assertEquals(HEX.formatHex(value(2)), js.ok("request", "name", "jsIdle", "seed", 46, "publicKey", javaKey,
          "method", "echo", "value", HEX.formatHex(value(2))).get("value").asText());

      js.ok("sleep", "ms", 1_500); // both connections idle: only keepalives cross them

      assertFalse(client.isClosed());
      assertArrayEquals(value(3), client.call("echo", value(3), Duration.ofSeconds(5)));
      assertEquals(HEX.formatHex(value(4)), js.ok("request", "name", "jsIdle", "seed", 46, "publicKey", javaKey,
          "method", "echo", "value", HEX.formatHex(value(4)), "timeoutMs", 5000).get("value").asText());
      assertEquals(1, server.connections().size(), "the JS client's first connection still carries its calls");
      client.close();
    }
  }

  @Test
  void shouldRequireTheCapabilityBothWays() throws Exception {
    byte[] capability = new byte[32];
    Arrays.fill(capability, (byte) 7);
    byte[] wrong = new byte[32];
    HyperswarmRpcServer.Options withCap = HyperswarmRpcServer.Options.DEFAULT.withCapability(capability);
    try (HyperswarmRpc rpc = javaRpc(47); HyperswarmRpcServer server = javaServer(rpc, withCap)) {
      server.listen().get(30, TimeUnit.SECONDS);
      String javaKey = HEX.formatHex(rpc.keyPair().publicKey());
      assertEquals("6869", js.ok("request", "name", "js", "seed", 48, "publicKey", javaKey, "method", "echo",
          "value", "6869", "capability", HEX.formatHex(capability)).get("value").asText());
      JsonNode refused = js.ok("request", "name", "js", "seed", 49, "publicKey", javaKey, "method", "echo",
          "value", "6869", "capability", HEX.formatHex(wrong), "timeoutMs", 5000);
      assertTrue(refused.has("error"), "a wrong capability is refused: " + refused);
    }

    byte[] jsKey = HEX.parseHex(jsServer(50, "capability", HEX.formatHex(capability)));
    try (HyperswarmRpc rpc = javaRpc(51)) {
      RpcClient good = rpc.connect(jsKey, capability);
      assertArrayEquals(value(5), good.call("echo", value(5), Duration.ofSeconds(20)));
      good.close();
      RpcClient bad = rpc.connect(jsKey, wrong);
      RpcException e = assertThrows(RpcException.class, () -> bad.call("echo", value(6), Duration.ofSeconds(20)));
      assertTrue(e.code() == RpcException.Code.INVALID_CAPABILITY || e.code() == RpcException.Code.CHANNEL_CLOSED,
          e.toString());
      bad.close();
    }
  }

  @Test
  void shouldRequireTheCapabilityOnSharedConnectionsBothWays() throws Exception {
    byte[] capability = new byte[32];
    Arrays.fill(capability, (byte) 9);
    byte[] wrong = new byte[32];
    HyperswarmRpcServer.Options withCap = HyperswarmRpcServer.Options.DEFAULT.withCapability(capability);
    try (HyperswarmRpc rpc = javaRpc(70); HyperswarmRpcServer server = javaServer(rpc, withCap)) {
      // the swarm's shape: a HyperDHT server of its own whose connections the RPC server only shares
      List<RpcClient> shared = new CopyOnWriteArrayList<>();
      HyperDhtServer raw = javaNode.createServer(ServerOptions.DEFAULT, c -> shared.add(server.share(c.start())));
      try {
        raw.listen(rpc.keyPair()).get(30, TimeUnit.SECONDS);
        String javaKey = HEX.formatHex(rpc.keyPair().publicKey());
        assertEquals("6869", js.ok("request", "name", "js", "seed", 71, "publicKey", javaKey, "method", "echo",
            "value", "6869", "capability", HEX.formatHex(capability)).get("value").asText());
        JsonNode refused = js.ok("request", "name", "js", "seed", 72, "publicKey", javaKey, "method", "echo",
            "value", "6869", "capability", HEX.formatHex(wrong), "timeoutMs", 5000).get("error");
        assertEquals("Remote sent invalid capability", refused.get("message").asText(), refused.toString());
        RpcSession refusedAtJava = shared.getLast().connection().session().get(10, TimeUnit.SECONDS);
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> refusedAtJava.opened().get(10, TimeUnit.SECONDS));
        assertEquals(RpcException.Code.INVALID_CAPABILITY, ((RpcException) e.getCause()).code(),
            "the Java end refused the JS client's proof");
      } finally {
        raw.close();
      }
    }

    byte[] jsKey = HEX.parseHex(jsServer(73, "capability", HEX.formatHex(capability)));
    try (HyperswarmRpc rpc = javaRpc(74)) {
      RpcClient good = shareDialed(rpc, jsKey, capability);
      assertArrayEquals(value(7), good.call("echo", value(7), Duration.ofSeconds(20)));
      good.close();
      RpcClient bad = shareDialed(rpc, jsKey, wrong);
      RpcException e = assertThrows(RpcException.class, () -> bad.call("echo", value(8), Duration.ofSeconds(20)));
      assertTrue(e.code() == RpcException.Code.INVALID_CAPABILITY || e.code() == RpcException.Code.CHANNEL_CLOSED,
          e.toString());
      bad.close();
    }
  }

  /** Dials {@code key} outside the RPC (as a swarm does) and shares the stream with a server proving {@code cap}. */
  private static RpcClient shareDialed(HyperswarmRpc rpc, byte[] key, byte[] cap) throws Exception {
    SecretStream stream = rpc.dht().connect(key, ConnectOptions.DEFAULT.withKeyPair(rpc.keyPair()), null)
        .get(30, TimeUnit.SECONDS);
    return rpc.createServer(HyperswarmRpcServer.Options.DEFAULT.withCapability(cap)).share(stream);
  }

  @Test
  void shouldMapErrorsBothWays() throws Exception {
    try (HyperswarmRpc rpc = javaRpc(52); HyperswarmRpcServer server = javaServer(rpc, HyperswarmRpcServer.Options.DEFAULT)) {
      server.listen().get(30, TimeUnit.SECONDS);
      String javaKey = HEX.formatHex(rpc.keyPair().publicKey());
      JsonNode fail = js.ok("request", "name", "js", "seed", 53, "publicKey", javaKey, "method", "fail").get("error");
      assertEquals("REQUEST_ERROR", fail.get("code").asText());
      assertEquals("boom", fail.get("cause").get("message").asText());
      JsonNode coded = js.ok("request", "name", "js", "seed", 53, "publicKey", javaKey, "method", "failCoded")
          .get("error");
      assertEquals("REQUEST_ERROR", coded.get("code").asText());
      assertEquals("E_CODED", coded.get("cause").get("code").asText());
      assertEquals("some context", coded.get("cause").get("context").asText());
      JsonNode unknown = js.ok("request", "name", "js", "seed", 53, "publicKey", javaKey, "method", "nope")
          .get("error");
      assertEquals("UNKNOWN_METHOD", unknown.get("code").asText());
    }

    byte[] jsKey = HEX.parseHex(jsServer(54));
    try (HyperswarmRpc rpc = javaRpc(55)) {
      RpcException fail = assertThrows(RpcException.class, () -> rpc.call(jsKey, "fail", null, Duration.ofSeconds(20)));
      assertEquals(RpcException.Code.REQUEST_ERROR, fail.code());
      assertEquals("boom", fail.getCause().getMessage());
      RpcException coded = assertThrows(RpcException.class,
          () -> rpc.call(jsKey, "failCoded", null, Duration.ofSeconds(20)));
      RpcException cause = assertInstanceOf(RpcException.class, coded.getCause());
      assertEquals("E_CODED", cause.wireCode());
      assertEquals("some context", cause.context());
      RpcException unknown = assertThrows(RpcException.class,
          () -> rpc.call(jsKey, "nope", null, Duration.ofSeconds(20)));
      assertEquals(RpcException.Code.UNKNOWN_METHOD, unknown.code());
      byte[] nobody = keys(56).publicKey();
      RpcException unreachable = assertThrows(RpcException.class,
          () -> rpc.call(nobody, "echo", null, Duration.ofSeconds(20)));
      assertEquals(RpcException.Code.CHANNEL_CLOSED, unreachable.code());
      assertEquals(HyperDhtException.Code.PEER_NOT_FOUND,
          assertInstanceOf(HyperDhtException.class, unreachable.getCause()).code());
    }
  }

  @Test
  void shouldSeeTheProvenKeyAndSendEventsBackBothWays() throws Exception {
    try (HyperswarmRpc rpc = javaRpc(57); HyperswarmRpcServer server = javaServer(rpc, HyperswarmRpcServer.Options.DEFAULT)) {
      server.listen().get(30, TimeUnit.SECONDS);
      String javaKey = HEX.formatHex(rpc.keyPair().publicKey());
      // @hyperswarm/rpc given a DHT connects with the DHT's default key, not its own: that is the key proven
      assertEquals(jsNodeKey, js.ok("request", "name", "js", "seed", 58, "publicKey", javaKey, "method", "whoami")
          .get("value").asText(), "the Java handler saw the JS client's proven key");
      JsonNode back = js.ok("eventBack", "name", "js", "seed", 58, "publicKey", javaKey, "value", "abcd");
      assertEquals(HEX.formatHex("ok".getBytes(StandardCharsets.UTF_8)), back.get("answer").asText());
      assertEquals("abcd", back.get("pong").asText(), "the event came back on the caller's connection");
    }

    byte[] jsKey = HEX.parseHex(jsServer(59));
    try (HyperswarmRpc rpc = javaRpc(60)) {
      assertArrayEquals(rpc.keyPair().publicKey(), rpc.call(jsKey, "whoami", null, Duration.ofSeconds(20)));
      List<byte[]> pongs = new CopyOnWriteArrayList<>();
      rpc.clientResponders().respond("pong", r -> {
        pongs.add(r.value());
        return null;
      });
      assertArrayEquals("ok".getBytes(StandardCharsets.UTF_8), rpc.call(jsKey, "notify", value(7),
          Duration.ofSeconds(20)));
      await().atMost(Duration.ofSeconds(10)).until(() -> pongs.size() == 1);
      assertArrayEquals(value(7), pongs.get(0));
    }
  }

  @Test
  void shouldReachAServerRestartedWithTheSameKey() throws Exception {
    KeyPair serverKeys = keys(61);
    HyperDht first = net.createNode();
    HyperswarmRpc rpcA = new HyperswarmRpc(first, HyperswarmRpcOptions.DEFAULT.withKeyPair(serverKeys));
    javaServer(rpcA, HyperswarmRpcServer.Options.DEFAULT).listen().get(30, TimeUnit.SECONDS);
    String javaKey = HEX.formatHex(serverKeys.publicKey());
    assertEquals("01", js.ok("request", "name", "js", "seed", 62, "publicKey", javaKey, "method", "echo", "value", "01")
        .get("value").asText());
    first.close(); // the process goes away

    HyperDht second = net.createNode();
    try (HyperswarmRpc rpcB = new HyperswarmRpc(second, HyperswarmRpcOptions.DEFAULT.withKeyPair(serverKeys))) {
      javaServer(rpcB, HyperswarmRpcServer.Options.DEFAULT).listen().get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(30)).until(() -> "02".equals(js.ok("request", "name", "js", "seed", 62,
          "publicKey", javaKey, "method", "echo", "value", "02", "timeoutMs", 5000).path("value").asText()));
    } finally {
      second.close();
    }

    js.ok("server", "name", "js", "seed", 63);
    byte[] jsKey = keys(63).publicKey();
    try (HyperswarmRpc rpc = javaRpc(64)) {
      assertArrayEquals(value(8), rpc.call(jsKey, "echo", value(8), Duration.ofSeconds(20)));
      js.ok("closeServer", "name", "js", "seed", 63);
      js.ok("server", "name", "js", "seed", 63);
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> Arrays.equals(value(9),
          rpc.call(jsKey, "echo", value(9), Duration.ofSeconds(5))));
    }
  }

  @Test
  void shouldFailWithTheConnectErrorWhenTheServerRejectsTheKey() {
    byte[] jsKey = HEX.parseHex(jsServer(65, "reject", List.of(HEX.formatHex(keys(66).publicKey()))));
    // the JS firewall refuses by silence: 4 sends of 100 ms per relay end the attempt, not dht-rpc's 4 of 1 s
    try (HyperswarmRpc rpc = new HyperswarmRpc(javaNode, HyperswarmRpcOptions.DEFAULT.withKeyPair(keys(66))
        .withConnect(HyperswarmRpcOptions.DEFAULT.connect().withHandshakeTimeout(Duration.ofMillis(100))))) {
      RpcException e = assertThrows(RpcException.class, () -> rpc.call(jsKey, "echo", null, Duration.ofSeconds(30)));
      assertEquals(RpcException.Code.CHANNEL_CLOSED, e.code());
      assertEquals(HyperDhtException.Code.PEER_CONNECTION_FAILED,
          assertInstanceOf(HyperDhtException.class, e.getCause()).code());
    }
  }
}
