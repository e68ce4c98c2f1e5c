package io.hyperinfer.hyperdht;

import static io.hyperinfer.hyperdht.Js.addr;
import static io.hyperinfer.hyperdht.Js.addrs;
import static io.hyperinfer.hyperdht.Js.bytes;
import static io.hyperinfer.hyperdht.Js.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.dht.Response;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.testkit.JsDriver;
import io.hyperinfer.hyperdht.wire.Announce;
import io.hyperinfer.hyperdht.wire.MutablePutRequest;
import io.hyperinfer.hyperdht.wire.Peer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records and values between Java and the pinned JS hyperdht, both ways, on one mixed network on 127.0.0.1: a Java
 * bootstrapper and three persistent Java nodes, three persistent JS nodes, and a client of each language (scenarios
 * D1-8 to D1-12 of HYPERDHT-NOTES.md). Each record must land on JS and Java storing nodes alike.
 */
@Timeout(120)
class HyperDhtInteropIT {
  private static final long WAIT_SECONDS = 60;
  private static final List<String> JS_NODES = List.of("js1", "js2", "js3");
  private static JsDriver js;
  private static Testnet java;
  private static HyperDht javaClient;
  private static final Set<HostPort> JS_ADDRESSES = new HashSet<>();
  private static final Set<HostPort> JAVA_ADDRESSES = new HashSet<>();

  @BeforeAll
  static void network() {
    js = Js.driver();
    java = Testnet.create(4);
    java.nodes().forEach(n -> JAVA_ADDRESSES.add(n.localAddress()));
    for (String name : JS_NODES) {
      js.ok("node", "name", name, "bootstrap", addrs(java.bootstrap()), "ephemeral", false, "firewalled", false);
      JsonNode state = js.ok("waitPersistent", "name", name);
      JS_ADDRESSES.add(addr(state.get("address")));
    }
    js.ok("node", "name", "jsClient", "bootstrap", addrs(java.bootstrap()), "ephemeral", true);
    javaClient = java.createNode();
  }

  @AfterAll
  static void close() {
    if (js != null) {
      js.close();
    }
    if (java != null) {
      java.close();
    }
  }

  private static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException | InterruptedException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  private static byte[] topic(String name) {
    return HyperDhtCrypto.hash(name.getBytes(StandardCharsets.UTF_8));
  }

  private static KeyPair keys(int seed) {
    return SignaturesTest.seeded(seed);
  }

  /** Which nodes a JS lookup found listing {@code publicKey}, and the relay addresses they hold. */
  private static List<JsonNode> jsHolders(byte[] topic, byte[] publicKey) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode r : js.ok("lookup", "name", "jsClient", "topic", hex(topic))) {
      for (JsonNode p : r.get("peers")) {
        if (p.get("publicKey").asText().equals(hex(publicKey))) {
          out.add(r);
        }
      }
    }
    return out;
  }

  private static List<LookupResult> javaHolders(byte[] topic, byte[] publicKey) {
    return await(javaClient.lookup(topic).finished()).replies().stream()
        .filter(r -> r.peers().stream().anyMatch(p -> Arrays.equals(p.publicKey(), publicKey))).toList();
  }

  private static Peer record(LookupResult r, byte[] publicKey) {
    return r.peers().stream().filter(p -> Arrays.equals(p.publicKey(), publicKey)).findFirst().orElseThrow();
  }

  private static void assertBothKinds(Set<HostPort> holders) {
    assertEquals(7, holders.size(), "every node with an id stores it: " + holders);
    assertTrue(holders.containsAll(JS_ADDRESSES), "on the JS storing nodes");
    assertTrue(holders.containsAll(JAVA_ADDRESSES), "on the Java storing nodes");
  }

  @Test
  void shouldFindAJavaAnnounceFromJsAndAJsAnnounceFromJava() {
    List<HostPort> relays = List.of(new HostPort("127.0.0.1", 40001), new HostPort("127.0.0.1", 40002));
    KeyPair javaKeys = keys(1);
    await(javaClient.announce(topic("d1-8 java"), javaKeys, relays).finished());

    List<JsonNode> seenByJs = jsHolders(topic("d1-8 java"), javaKeys.publicKey());
    Set<HostPort> holders = new HashSet<>();
    for (JsonNode r : seenByJs) {
      holders.add(addr(r.get("from")));
      assertEquals(relays, addrs(r.get("peers").get(0).get("relayAddresses")));
    }
    assertBothKinds(holders);

    js.ok("announce", "name", "jsClient", "topic", hex(topic("d1-8 js")), "seed", 2, "relayAddresses",
        Js.addrs(relays));
    List<LookupResult> seenByJava = javaHolders(topic("d1-8 js"), keys(2).publicKey());
    assertBothKinds(new HashSet<>(seenByJava.stream().map(r -> r.from().address()).toList()));
    seenByJava.forEach(r -> assertEquals(relays, record(r, keys(2).publicKey()).relayAddresses()));
  }

  @Test
  void shouldForgetRecordsWhenUnannouncedFromEitherSide() {
    byte[] topic = topic("d1-8 unannounce");
    await(javaClient.announce(topic, keys(3), List.of()).finished());
    js.ok("announce", "name", "jsClient", "topic", hex(topic), "seed", 4);

    js.ok("unannounce", "name", "jsClient", "topic", hex(topic), "seed", 3);
    assertEquals(List.of(), javaHolders(topic, keys(3).publicKey()), "JS removed the Java client's record");
    assertEquals(7, javaHolders(topic, keys(4).publicKey()).size(), "and only that one");

    await(javaClient.unannounce(topic, keys(4)));
    assertEquals(List.of(), jsHolders(topic, keys(4).publicKey()), "Java removed the JS client's record");
  }

  @Test
  void shouldKeepOnlyTheNewRecordWhenAnnouncedWithClear() {
    byte[] topic = topic("d1-8 clear");
    List<HostPort> before = List.of(new HostPort("127.0.0.1", 41000));
    List<HostPort> after = List.of(new HostPort("127.0.0.1", 42000));
    await(javaClient.announce(topic, keys(5), before).finished());
    await(javaClient.announce(topic, keys(5), after, new AnnounceOptions(0, true, QueryOptions.DEFAULT))
        .finished());
    List<JsonNode> seen = jsHolders(topic, keys(5).publicKey());
    assertEquals(7, seen.size());
    seen.forEach(r -> assertEquals(after, addrs(r.get("peers").get(0).get("relayAddresses"))));

    js.ok("announce", "name", "jsClient", "topic", hex(topic), "seed", 6, "relayAddresses", Js.addrs(before));
    js.ok("announce", "name", "jsClient", "topic", hex(topic), "seed", 6, "relayAddresses", Js.addrs(after),
        "clear", true);
    List<LookupResult> javaSeen = javaHolders(topic, keys(6).publicKey());
    assertEquals(7, javaSeen.size());
    javaSeen.forEach(r -> assertEquals(after, record(r, keys(6).publicKey()).relayAddresses()));
  }

  @Test
  void shouldFindAJavaSelfAnnounceFromJsAndAJsServerFromJava() {
    KeyPair server = keys(7);
    List<HostPort> relays = List.of(new HostPort("127.0.0.1", 43000));
    await(javaClient.announce(HyperDhtCrypto.hash(server.publicKey()), server, relays).finished());
    JsonNode found = js.ok("findPeer", "name", "jsClient", "publicKey", hex(server.publicKey()));
    Set<HostPort> holders = new HashSet<>();
    for (JsonNode r : found) {
      assertEquals(hex(server.publicKey()), r.get("peer").get("publicKey").asText());
      assertEquals(relays, addrs(r.get("peer").get("relayAddresses")));
      holders.add(addr(r.get("from")));
    }
    assertBothKinds(holders);

    JsonNode listening = js.ok("listen", "name", "jsClient", "seed", 8);
    List<HostPort> jsRelays = addrs(listening.get("relays"));
    List<FindPeerResult> javaFound = await(javaClient.findPeer(keys(8).publicKey()).finished()).replies();
    Set<HostPort> javaSaw = new HashSet<>(javaFound.stream().map(r -> r.from().address()).toList());
    Set<HostPort> jsSaw = new HashSet<>();
    js.ok("findPeer", "name", "jsClient", "publicKey", hex(keys(8).publicKey()))
        .forEach(r -> jsSaw.add(addr(r.get("from"))));
    assertEquals(new HashSet<>(jsRelays), javaSaw, "Java finds the JS server on exactly its announce relays");
    assertEquals(jsSaw, javaSaw, "as JS does");
    javaFound.forEach(r -> assertArrayEquals(keys(8).publicKey(), r.peer().publicKey()));
  }

  @Test
  void shouldReadValuesBothWaysWhenPutByEitherSide() {
    await(javaClient.mutablePut(keys(10), "from java".getBytes(StandardCharsets.UTF_8), 1));
    JsonNode jsRead = js.ok("mutableGet", "name", "jsClient", "publicKey", hex(keys(10).publicKey()));
    assertEquals(1, jsRead.get("seq").asInt());
    assertEquals("from java", new String(bytes(jsRead.get("value")), StandardCharsets.UTF_8));

    js.ok("mutablePut", "name", "jsClient", "seed", 11, "value", hex("from js".getBytes(StandardCharsets.UTF_8)),
        "seq", 2);
    MutableValue javaRead = await(javaClient.mutableGet(keys(11).publicKey())).orElseThrow();
    assertEquals(2, javaRead.seq());
    assertEquals("from js", new String(javaRead.value(), StandardCharsets.UTF_8));

    String jsHash = js.ok("immutablePut", "name", "jsClient", "value", hex("js blob".getBytes(StandardCharsets.UTF_8)))
        .get("hash").asText();
    ImmutableValue blob = await(javaClient.immutableGet(HyperDhtCrypto.hash("js blob".getBytes(StandardCharsets.UTF_8))))
        .orElseThrow();
    assertEquals(jsHash, hex(HyperDhtCrypto.hash(blob.value())));
    PutResult put = await(javaClient.immutablePut("java blob".getBytes(StandardCharsets.UTF_8)));
    assertEquals(7, put.stored());
    JsonNode jsBlob = js.ok("immutableGet", "name", "jsClient", "hash", hex(put.target()));
    assertEquals("java blob", new String(bytes(jsBlob.get("value")), StandardCharsets.UTF_8));
  }

  @Test
  void shouldAnswerSeqErrorsLikeJsWhenPutsBreakTheSeqRules() {
    KeyPair owner = keys(12);
    await(javaClient.mutablePut(owner, new byte[] {1}, 5));
    HostPort javaNode = java.nodes().get(1).localAddress();
    JsonNode reused = js.ok("mutablePutTo", "name", "jsClient", "to", addr(javaNode), "seed", 12, "value", "02",
        "seq", 5);
    assertEquals(PeerError.SEQ_REUSED, reused.get("error").asLong(), "Java storage, JS client");
    JsonNode tooLow = js.ok("mutablePutTo", "name", "jsClient", "to", addr(javaNode), "seed", 12, "value", "02",
        "seq", 4);
    assertEquals(PeerError.SEQ_TOO_LOW, tooLow.get("error").asLong());
    assertTrue(tooLow.get("closerNodes").asInt() > 0 && tooLow.get("token").isNull(), "closer nodes, no token");
    JsonNode higher = js.ok("mutablePutTo", "name", "jsClient", "to", addr(javaNode), "seed", 12, "value", "02",
        "seq", 6);
    assertEquals(0, higher.get("error").asLong());

    HostPort jsNode = JS_ADDRESSES.iterator().next();
    Response get = await(javaClient.node().request(jsNode, Command.MUTABLE_GET.id(),
        HyperDhtCrypto.hash(owner.publicKey()), Compact.encode(Compact.UINT, 0L), null, RequestOptions.DEFAULT));
    byte[] lower = Compact.encode(MutablePutRequest.CODEC, new MutablePutRequest(owner.publicKey(), 3,
        new byte[] {3}, Signatures.signMutable(3, new byte[] {3}, owner)));
    Response jsAnswer = await(javaClient.node().request(jsNode, Command.MUTABLE_PUT.id(),
        HyperDhtCrypto.hash(owner.publicKey()), lower, get.token(), RequestOptions.DEFAULT));
    assertEquals(PeerError.SEQ_TOO_LOW, jsAnswer.error(), "JS storage, Java client");
    HyperDhtException everywhere = assertInstanceOf(HyperDhtException.class,
        failure(javaClient.mutablePut(owner, new byte[] {3}, 3)));
    assertEquals(HyperDhtException.Code.SEQ_TOO_LOW, everywhere.code());
  }

  @Test
  void shouldShowTheBumpFromJavaStorageAndIgnoreOneTooFarAhead() {
    byte[] topic = topic("d1-11 bump");
    long now = System.currentTimeMillis();
    js.ok("announce", "name", "jsClient", "topic", hex(topic), "seed", 13, "bump", now);
    js.ok("announce", "name", "jsClient", "topic", hex(topic), "seed", 14, "bump", now + 120_000);
    for (JsonNode r : js.ok("lookup", "name", "jsClient", "topic", hex(topic))) {
      assertEquals(now, r.get("bump").asLong(), "from " + r.get("from"));
    }
    byte[] javaTopic = topic("d1-11 java bump");
    await(javaClient.announce(javaTopic, keys(15), List.of(), new AnnounceOptions(now, false,
        QueryOptions.DEFAULT)).finished());
    JsonNode seen = js.ok("lookup", "name", "jsClient", "topic", hex(javaTopic));
    assertEquals(7, seen.size());
    seen.forEach(r -> assertEquals(now, r.get("bump").asLong(), "JS and Java storage keep a Java bump"));
  }

  @Test
  void shouldDropBadSignaturesSilentlyOnBothSides() {
    byte[] topic = topic("d1-12");
    HyperDht javaNode = java.nodes().get(2);
    long before = javaNode.stats().drops().getOrDefault(DropReason.BAD_SIGNATURE, 0L);
    assertEquals("REQUEST_TIMEOUT", js.error("badAnnounce", "name", "jsClient", "to", addr(javaNode.localAddress()),
        "topic", hex(topic), "seed", 16));
    assertEquals(before + 1, javaNode.stats().drops().get(DropReason.BAD_SIGNATURE), "counted in Java");

    HostPort jsNode = JS_ADDRESSES.iterator().next();
    Response lookup = await(javaClient.node().request(jsNode, Command.LOOKUP.id(), topic, null, null,
        RequestOptions.DEFAULT));
    Peer peer = new Peer(keys(16).publicKey(), List.of());
    byte[] signature = Signatures.signAnnounce(topic, lookup.token(), new byte[32], new Announce(peer, null, null, 0),
        keys(16));
    Throwable silent = failure(javaClient.node().request(jsNode, Command.ANNOUNCE.id(), topic,
        Compact.encode(Announce.CODEC, new Announce(peer, null, signature, 0)), lookup.token(),
        RequestOptions.DEFAULT.withRetry(false)));
    assertEquals(DhtException.Code.REQUEST_TIMEOUT, assertInstanceOf(DhtException.class, silent).code());
    assertEquals(List.of(), jsHolders(topic, keys(16).publicKey()), "stored nowhere");
  }

  @Test
  void shouldStoreJsRecordsOnJavaNodesWhenTheyJoinAJsNetwork() {
    js.ok("node", "name", "jsnetBoot", "ephemeral", false, "firewalled", false);
    HostPort boot = addr(js.ok("state", "name", "jsnetBoot").get("address"));
    js.ok("node", "name", "jsnet1", "bootstrap", List.of(addr(boot)), "ephemeral", false, "firewalled", false);
    js.ok("waitPersistent", "name", "jsnet1");
    HyperDhtOptions options = HyperDhtOptions.DEFAULT.withHost("127.0.0.1").withBootstrap(List.of(boot))
        .withMode(NodeOptions.Mode.PERSISTENT);
    try (HyperDht first = HyperDht.create(options); HyperDht second = HyperDht.create(options)) {
      await(CompletableFuture.allOf(first.ready(), second.ready()));
      assertTrue(first.node().id() != null && second.node().id() != null, "persistent in a JS testnet");
      js.ok("node", "name", "jsnetClient", "bootstrap", List.of(addr(boot)), "ephemeral", true);
      js.ok("announce", "name", "jsnetClient", "topic", hex(topic("jsnet")), "seed", 17);

      assertEquals(1, first.stats().records(), "the JS client's record is on the first Java node");
      assertEquals(1, second.stats().records(), "and on the second");
    } finally {
      for (String n : List.of("jsnetClient", "jsnet1", "jsnetBoot")) {
        js.call("destroy", JsDriver.args("name", n));
      }
    }
  }
}
