package io.hyperinfer.swarm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtCrypto;
import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.testkit.JsDriver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Java swarms and pinned hyperswarm 4.17.2 swarms on one loopback testnet of Java HyperDHT nodes: they find each other,
 * keep one connection per pair and agree which one, form a mixed mesh, reconnect after a peer leaves and rejoins, and
 * never reconnect a banned key.
 */
@Timeout(240)
class SwarmInteropIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** A refused JS dial waits out its handshake's sends: 100 ms each here, not dht-rpc's 1 s. */
  private static final int REFUSED_SEND_MS = 100;
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static Testnet net;
  private static JsDriver js;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<String> jsSwarms = new ArrayList<>();

  @BeforeAll
  static void start() {
    net = Testnet.create(5);
    js = JsDriver.start("swarm/src/test/js/swarm-driver.js");
  }

  @AfterAll
  static void stop() {
    js.close();
    net.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (String name : jsSwarms) {
      js.call("destroy", JsDriver.args("name", name));
    }
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private SwarmPeer java(int seed, SwarmOptions options) {
    HyperDht node = net.createNode();
    open.add(node);
    SwarmPeer p = new SwarmPeer(node, seed, options);
    open.add(p);
    return p;
  }

  private SwarmPeer java(int seed) {
    return java(seed, SwarmOptions.DEFAULT);
  }

  /** A JS swarm on a node of its own; returns its name in the driver. */
  private String jsSwarm(int seed) {
    return jsSwarm(seed, true);
  }

  /** A JS swarm whose connections have no keep-alive timer (empty frames then arrive, and are counted), or do. */
  private String jsSwarm(int seed, boolean keepAlive) {
    return jsSwarm(seed, keepAlive, 0);
  }

  /** The same, its node's requests waiting {@code requestTimeoutMs} per send (0: dht-rpc's default). */
  private String jsSwarm(int seed, boolean keepAlive, int requestTimeoutMs) {
    String name = "js" + NAMES.incrementAndGet();
    List<Map<String, Object>> bootstrap = net.bootstrap().stream()
        .map(h -> Map.<String, Object>of("host", h.host(), "port", h.port())).toList();
    if (requestTimeoutMs > 0) {
      js.ok("swarm", "name", name, "seed", seed, "bootstrap", bootstrap, "keepAlive", keepAlive, "requestTimeout",
          requestTimeoutMs);
    } else {
      js.ok("swarm", "name", name, "seed", seed, "bootstrap", bootstrap, "keepAlive", keepAlive);
    }
    jsSwarms.add(name);
    return name;
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static byte[] topic(String name) {
    return HyperDhtCrypto.hash(name.getBytes(StandardCharsets.UTF_8));
  }

  /** The JS swarm joins {@code t} as a client only and dials what it finds. */
  private static void jsLookup(String name, byte[] t) {
    js.ok("join", "name", name, "topic", hex(t), "server", false, "client", true);
    js.ok("flush", "name", name);
  }

  /** The JS swarm's open connections: remote key (hex) to whether JS dialed it. */
  private static JsonNode jsOpen(String name) {
    return js.ok("connections", "name", name).get("open");
  }

  /** The JS swarm's client dials so far: attempted, opened, closed. */
  private static JsonNode jsDials(String name) {
    return js.ok("connections", "name", name).get("dials");
  }

  private static String jsKey(int seed) {
    return hex(SwarmPeer.keyPair(seed).publicKey());
  }

  /** Java and JS each hold exactly one connection to the other, the same one (one end dialed it). */
  private static void assertAgree(SwarmPeer j, String jsName, int jsSeed) {
    byte[] jsPublic = SwarmPeer.keyPair(jsSeed).publicKey();
    await().atMost(WAIT).until(() -> j.swarm.connection(jsPublic).isPresent()
        && jsOpen(jsName).has(hex(j.keys.publicKey())));
    await().atMost(WAIT).until(() -> {
      SwarmConnection c = j.swarm.connection(jsPublic).orElse(null);
      JsonNode jsSide = jsOpen(jsName).get(hex(j.keys.publicKey()));
      return c != null && jsSide != null && jsSide.asBoolean() == !c.isInitiator();
    });
  }

  @Test
  void shouldAgreeOnOneConnectionWhenJavaAndJsJoinOneTopic() throws Exception {
    SwarmPeer j = java(1);
    byte[] t = topic("java-js");
    j.swarm.join(t, true, true).flushed().join();
    String s = jsSwarm(2);
    js.ok("join", "name", s, "topic", hex(t));
    js.ok("flush", "name", s);
    assertAgree(j, s, 2);
    assertTrue(j.pingPong(SwarmPeer.keyPair(2).publicKey(), "java-to-js"));
    assertEquals(1, j.swarm.connections().size());
    assertEquals(1, jsOpen(s).size());
  }

  /**
   * Four pairs, each dialing both ways at once, either side's key sorting higher, all at once: each pair must settle
   * on one connection, the same at both ends, with every other dial ended.
   */
  @Test
  void shouldAgreeOnOneConnectionWhenJavaAndJsDialEachOtherAtOnce() throws Exception {
    int rounds = 4;
    SwarmPeer[] javas = new SwarmPeer[rounds];
    String[] jss = new String[rounds];
    int[] jsSeeds = new int[rounds];
    for (int round = 0; round < rounds; round++) {
      int jsSeed = 10 + 2 * round + round % 2; // seeds 10/11, 13/12, 14/15, 17/16: either side's key sorts higher
      int javaSeed = 10 + 2 * round + 1 - round % 2;
      SwarmPeer j = java(javaSeed);
      String s = jsSwarm(jsSeed);
      j.swarm.listen().join();
      js.ok("join", "name", s, "topic", hex(topic("unused-" + round)), "server", true, "client", false);
      js.ok("joinPeer", "name", s, "key", hex(j.keys.publicKey()));
      j.swarm.joinPeer(SwarmPeer.keyPair(jsSeed).publicKey());
      javas[round] = j;
      jss[round] = s;
      jsSeeds[round] = jsSeed;
    }
    SwarmConnection[] kept = new SwarmConnection[rounds];
    for (int round = 0; round < rounds; round++) {
      assertAgree(javas[round], jss[round], jsSeeds[round]);
      kept[round] = connectionTo(javas[round], jsSeeds[round]);
    }
    // settled, no fixed window: in every pair each dial either side made has ended but the one both ends keep (a
    // dial in flight, or a kept connection closed and dialed again, would leave another dial open or another one kept)
    await().atMost(WAIT).until(() -> {
      for (int round = 0; round < rounds; round++) {
        SwarmStats java = javas[round].swarm.stats();
        JsonNode jsDials = jsDials(jss[round]);
        long alive = java.clientAttempted() - java.clientClosed() + jsDials.get("attempted").asLong()
            - jsDials.get("closed").asLong();
        if (alive != 1 || connectionTo(javas[round], jsSeeds[round]) != kept[round]
            || jsOpen(jss[round]).size() != 1) {
          return false;
        }
      }
      return true;
    });
    for (int round = 0; round < rounds; round++) {
      assertTrue(javas[round].pingPong(SwarmPeer.keyPair(jsSeeds[round]).publicKey(), "round-" + round));
    }
  }

  private static SwarmConnection connectionTo(SwarmPeer j, int jsSeed) {
    return j.swarm.connection(SwarmPeer.keyPair(jsSeed).publicKey()).orElse(null);
  }

  @Test
  void shouldFormFullMeshWhenTwoJavaAndTwoJsPeersJoin() {
    byte[] t = topic("mixed-mesh");
    SwarmPeer j1 = java(21);
    j1.swarm.join(t, true, true).flushed().join();
    String s1 = jsSwarm(22);
    js.ok("join", "name", s1, "topic", hex(t));
    js.ok("flush", "name", s1);
    SwarmPeer j2 = java(23);
    j2.swarm.join(t, true, true).flushed().join();
    j2.swarm.flush().join();
    String s2 = jsSwarm(24);
    js.ok("join", "name", s2, "topic", hex(t));
    js.ok("flush", "name", s2);

    assertAgree(j1, s1, 22);
    assertAgree(j1, s2, 24);
    assertAgree(j2, s1, 22);
    assertAgree(j2, s2, 24);
    await().atMost(WAIT).until(() -> j1.to(j2) != null && j2.to(j1) != null);
    assertEquals(!j1.to(j2).isInitiator(), j2.to(j1).isInitiator());
    await().atMost(WAIT).until(() -> jsOpen(s1).has(jsKey(24)) && jsOpen(s2).has(jsKey(22)));
    assertEquals(!jsOpen(s1).get(jsKey(24)).asBoolean(), jsOpen(s2).get(jsKey(22)).asBoolean());
    await().atMost(WAIT).until(() -> j1.swarm.connections().size() == 3 && j2.swarm.connections().size() == 3
        && jsOpen(s1).size() == 3 && jsOpen(s2).size() == 3);
  }

  @Test
  void shouldReconnectWhenJsPeerLeavesAndRejoins() {
    byte[] t = topic("js-rejoins");
    String s = jsSwarm(32);
    js.ok("join", "name", s, "topic", hex(t), "server", true, "client", false);
    SwarmPeer j = java(31, SwarmPeer.REDIALS_SOON);
    j.swarm.join(t, false, true).flushed().join();
    j.swarm.flush().join();
    assertAgree(j, s, 32);
    assertTrue(j.swarm.connection(SwarmPeer.keyPair(32).publicKey()).orElseThrow().isInitiator());

    js.ok("destroy", "name", s);
    jsSwarms.remove(s);
    await().atMost(WAIT).until(() -> j.swarm.connection(SwarmPeer.keyPair(32).publicKey()).isEmpty());
    String again = jsSwarm(32);
    js.ok("join", "name", again, "topic", hex(t), "server", true, "client", false);
    assertAgree(j, again, 32);
  }

  @Test
  void shouldReconnectWhenJavaPeerLeavesAndRejoins() {
    byte[] t = topic("java-rejoins");
    SwarmPeer j = java(41);
    j.swarm.join(t, true, false).flushed().join();
    String s = jsSwarm(42);
    jsLookup(s, t);
    assertAgree(j, s, 42);

    j.close();
    await().atMost(WAIT).until(() -> !jsOpen(s).has(hex(j.keys.publicKey())));
    SwarmPeer back = java(41);
    back.swarm.join(t, true, false).flushed().join();
    jsLookup(s, t);
    assertAgree(back, s, 42);
  }

  @Test
  void shouldReconnectWhenJsAndThenJavaSuspendAndResume() throws Exception {
    byte[] t = topic("suspends");
    SwarmPeer j = java(71);
    j.swarm.join(t, true, true).flushed().join();
    String s = jsSwarm(72);
    js.ok("join", "name", s, "topic", hex(t));
    js.ok("flush", "name", s);
    assertAgree(j, s, 72);
    byte[] jsPublic = SwarmPeer.keyPair(72).publicKey();

    js.ok("suspend", "name", s);
    await().atMost(WAIT).until(() -> j.swarm.connection(jsPublic).isEmpty());
    js.ok("resume", "name", s); // JS refreshes its topic: its lookup finds Java again
    assertAgree(j, s, 72);

    j.swarm.suspend().join();
    await().atMost(WAIT).until(() -> !jsOpen(s).has(hex(j.keys.publicKey())));
    assertTrue(j.swarm.status(t).orElseThrow().suspended());
    j.swarm.resume().join(); // Java announces and looks up again, and dials JS
    assertAgree(j, s, 72);
    assertTrue(j.pingPong(jsPublic, "after-resume"));
  }

  @Test
  void shouldNotReconnectJsPeerWhenJavaBannedItsKey() {
    byte[] t = topic("java-bans");
    SwarmPeer j = java(51);
    j.swarm.join(t, true, false).flushed().join();
    String s = jsSwarm(52, true, REFUSED_SEND_MS);
    jsLookup(s, t);
    assertAgree(j, s, 52);
    byte[] jsPublic = SwarmPeer.keyPair(52).publicKey();

    j.swarm.ban(jsPublic, true);
    await().atMost(WAIT).until(() -> j.swarm.isBanned(jsPublic));
    j.swarm.connection(jsPublic).orElseThrow().destroy();
    await().atMost(WAIT).until(() -> !jsOpen(s).has(hex(j.keys.publicKey())));
    JsonNode before = jsDials(s);
    js.ok("join", "name", s, "topic", hex(t), "server", false, "client", true); // JS looks up and dials again
    js.ok("flush", "name", s);
    // JS dialed Java again and that dial ended without opening (no fixed window: the refusal is the event)
    await().atMost(WAIT).until(() -> {
      JsonNode now = jsDials(s);
      return now.get("attempted").asInt() > before.get("attempted").asInt()
          && now.get("closed").asInt() == now.get("attempted").asInt();
    });
    assertEquals(before.get("opened").asInt(), jsDials(s).get("opened").asInt(), "JS opened no connection");
    assertTrue(j.swarm.connection(jsPublic).isEmpty());
    assertEquals(1, j.swarm.stats().serverOpened(), "the banned key's handshakes got no answer");
  }

  @Test
  void shouldNotReconnectJavaPeerWhenJsBannedItsKey() {
    byte[] t = topic("js-bans");
    String s = jsSwarm(61);
    js.ok("join", "name", s, "topic", hex(t), "server", true, "client", false);
    SwarmPeer j = java(62, SwarmPeer.REDIALS_FAST);
    j.swarm.join(t, false, true).flushed().join();
    j.swarm.flush().join();
    assertAgree(j, s, 61);

    js.ok("ban", "name", s, "key", hex(j.keys.publicKey()));
    byte[] jsPublic = SwarmPeer.keyPair(61).publicKey();
    await().atMost(WAIT).until(() -> j.swarm.connection(jsPublic).isEmpty());
    long attempted = j.swarm.stats().clientAttempted();
    await().atMost(WAIT).until(() -> j.swarm.stats().clientAttempted() > attempted);
    j.swarm.flush().join();
    assertNull(j.swarm.connection(jsPublic).orElse(null));
    assertTrue(!jsOpen(s).has(hex(j.keys.publicKey())));
  }

  private static int jsEmpties(String name) {
    return js.ok("connections", "name", name).get("empties").asInt();
  }

  @Test
  void shouldProbeThePeerAcrossImplementationsWhenEitherSideSeesANetworkChange() {
    SwarmPeer j = java(101, SwarmNetworkIT.NO_TIMER_KEEPALIVE);
    byte[] t = topic("network-change-probe");
    j.swarm.join(t, true, false).flushed().join();
    String s = jsSwarm(102, false);
    jsLookup(s, t);
    assertAgree(j, s, 102);
    assertEquals(0, jsEmpties(s));
    assertEquals(0, j.empties.get());

    j.swarm.dht().node().networkChanged();
    await().atMost(WAIT).until(() -> jsEmpties(s) == 1);

    js.ok("networkChange", "name", s);
    await().atMost(WAIT).until(() -> j.empties.get() == 1);
    assertEquals(1, j.swarm.connections().size(), "a live connection survives its probes");
    assertEquals(1, jsOpen(s).size());
  }

  @Test
  void shouldFindThePeerAnnouncedSinceItsLookupWhenEitherSideSeesANetworkChange() {
    byte[] jsLooks = topic("network-change-js-looks");
    String s = jsSwarm(104);
    jsLookup(s, jsLooks);
    SwarmPeer j = java(103);
    j.swarm.join(jsLooks, true, false).flushed().join();
    assertTrue(jsOpen(s).isEmpty(), "JS looked up before Java announced");
    js.ok("networkChange", "name", s);
    assertAgree(j, s, 104);

    byte[] javaLooks = topic("network-change-java-looks");
    SwarmPeer looker = java(105);
    looker.swarm.join(javaLooks, false, true).flushed().join();
    String late = jsSwarm(106);
    js.ok("join", "name", late, "topic", hex(javaLooks), "server", true, "client", false);
    looker.swarm.flush().join();
    assertTrue(looker.swarm.connections().isEmpty(), "Java looked up before JS announced");
    looker.swarm.dht().node().networkChanged();
    assertAgree(looker, late, 106);
  }

  @Test
  void shouldDialOnlyTheLimitOnBothImplementationsWhenJoinedWithLimitOne() {
    byte[] t = topic("limit-interop");
    SwarmPeer j1 = java(111);
    SwarmPeer j2 = java(112);
    j1.swarm.join(t, true, false).flushed().join();
    j2.swarm.join(t, true, false).flushed().join();
    String s = jsSwarm(113);
    js.ok("join", "name", s, "topic", hex(t), "server", false, "client", true, "limit", 1);
    js.ok("flush", "name", s);
    await().atMost(WAIT).until(() -> jsOpen(s).size() == 1);

    byte[] u = topic("limit-interop-js-servers");
    String s1 = jsSwarm(114);
    String s2 = jsSwarm(115);
    js.ok("join", "name", s1, "topic", hex(u), "server", true, "client", false);
    js.ok("join", "name", s2, "topic", hex(u), "server", true, "client", false);
    SwarmPeer c = java(116);
    c.swarm.join(u, false, true, 1).flushed().join();
    c.swarm.flush().join();
    assertEquals(1, c.swarm.stats().clientAttempted());
    await().atMost(WAIT).until(() -> c.swarm.connections().size() == 1);
    // each side flushed at its limit, so neither dials again while its one connection lasts: counted, no window
    js.ok("flush", "name", s);
    assertEquals(1, jsDials(s).get("attempted").asInt(), "JS dialed one of the two Java servers");
    assertEquals(1, jsOpen(s).size());
    assertEquals(1, c.swarm.stats().clientAttempted(), "Java dialed one of the two JS servers");
    assertEquals(1, c.swarm.connections().size());
  }
}
