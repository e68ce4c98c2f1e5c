package io.hyperinfer.hyperdht;

import static io.hyperinfer.hyperdht.ConnectIT.echoServer;
import static io.hyperinfer.hyperdht.ConnectIT.seed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.IncomingRequest;

import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Handshake;
import io.hyperinfer.hyperdht.wire.Holepunch;
import io.hyperinfer.hyperdht.wire.HolepunchInfo;
import io.hyperinfer.hyperdht.wire.NoisePayload;
import io.hyperinfer.hyperdht.wire.Peer;
import io.hyperinfer.hyperdht.wire.SecretStreamInfo;
import io.hyperinfer.hyperdht.wire.UdxInfo;
import io.hyperinfer.secretstream.SecretStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The edges of servers and connects, Java only, on a loopback testnet: misuse, bad peers, failures, seeds. */
@Timeout(120)
class ServerEdgesIT {
  private static Testnet net;
  private static HyperDht client;

  @BeforeAll
  static void network() {
    net = Testnet.create(4);
    client = net.createNode(o -> o.withNode(o.node().withQuickFirewall(false)));
  }

  @AfterAll
  static void close() {
    if (net != null) {
      net.close();
    }
  }

  private static HyperDhtException connectFailure(HyperDht from, byte[] key, ConnectOptions options) {
    CompletionException e = assertThrows(CompletionException.class, () -> from.connect(key, options, null).join());
    return assertInstanceOf(HyperDhtException.class, e.getCause());
  }

  private static NoisePayload clientPayload(long version, UdxInfo udx) {
    return version != 1 ? NoisePayload.ofVersion(version)
        : new NoisePayload(1, 0, Firewall.UNKNOWN, null, List.of(), List.of(), udx, SecretStreamInfo.V1, null, null);
  }

  @Test
  void shouldRefuseASecondListenAndASecondServerOnTheSameKey() throws Exception {
    HyperDht node = net.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair(seed(51));
    HyperDhtServer server = echoServer(node, ServerOptions.DEFAULT, new CopyOnWriteArrayList<>());
    assertSame(ConnectionStats.Server.NONE, server.stats());
    assertNull(server.publicKey());
    assertTrue(server.relayAddresses().isEmpty() && server.relays().isEmpty());
    assertTrue(server.toString().contains("idle"));
    server.listen(keys).get(30, TimeUnit.SECONDS);
    assertTrue(server.listening());
    assertArrayEquals(keys.publicKey(), server.publicKey());
    assertEquals(3, server.relays().size());

    CompletionException twice = assertThrows(CompletionException.class, () -> server.listen(keys).join());
    assertEquals(HyperDhtException.Code.ALREADY_LISTENING,
        assertInstanceOf(HyperDhtException.class, twice.getCause()).code());
    HyperDhtServer rival = node.createServer(ServerOptions.DEFAULT, c -> {});
    CompletionException taken = assertThrows(CompletionException.class, () -> rival.listen(keys).join());
    assertEquals(HyperDhtException.Code.KEYPAIR_ALREADY_USED,
        assertInstanceOf(HyperDhtException.class, taken.getCause()).code());

    long before = server.announces();
    // JS 'network-change': every listening server refreshes (server.refresh(), so this proves that too) and
    // announces again after its current relay check (one wait of up to 3 s, not one per path)
    node.node().networkChanged();
    await().atMost(Duration.ofSeconds(15)).until(() -> server.announces() > before);
    assertEquals(0, server.driftRefreshes());

    CompletableFuture<Void> closing = server.closeAsync();
    assertSame(closing, server.closeAsync(), "closing twice is one close");
    closing.get(30, TimeUnit.SECONDS);
    assertFalse(server.listening());
    server.refresh(); // nothing to refresh any more
    CompletionException closed = assertThrows(CompletionException.class, () -> server.listen(keys).join());
    assertEquals(HyperDhtException.Code.NODE_DESTROYED,
        assertInstanceOf(HyperDhtException.class, closed.getCause()).code());
    node.createServer(ServerOptions.DEFAULT, c -> {}).close(); // an idle server closes at once
    node.close();
    CompletionException dead = assertThrows(CompletionException.class,
        () -> node.createServer(ServerOptions.DEFAULT, c -> {}).listen(keys).join());
    assertEquals(HyperDhtException.Code.NODE_DESTROYED,
        assertInstanceOf(HyperDhtException.class, dead.getCause()).code());
    assertEquals(HyperDhtException.Code.NODE_DESTROYED,
        connectFailure(node, keys.publicKey(), ConnectOptions.DEFAULT).code());
  }

  @Test
  void shouldAnswerAnOtherVersionOrAMissingStreamWithAnErrorAndDropGarbage() throws Exception {
    HyperDht node = net.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair(seed(52));
    AtomicReference<Boolean> throwing = new AtomicReference<>(false);
    ServerOptions options = ServerOptions.DEFAULT.withFirewall((k, p, a) -> {
      if (throwing.get()) {
        throw new IllegalStateException("a broken firewall rejects");
      }
      return true;
    });
    try (HyperDhtServer server = echoServer(node, options, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      HostPort relay = server.relays().get(0).relayAddress();
      byte[] target = HyperDhtCrypto.hash(keys.publicKey());
      RequestOptions once = RequestOptions.DEFAULT.withRetry(false);
      // a silent drop is proven by no answer within the request's wait: a loopback answer takes milliseconds, so
      // 250 ms instead of dht-rpc's 1 s
      RequestOptions silent = once.withTimeoutMs(250);
      BiFunction<NoisePayload, RequestOptions, CompletableFuture<NoisePayload>> ask = (payload, request) -> {
        NoiseWrap noise = NoiseWrap.initiator(HyperDhtCrypto.keyPair(), keys.publicKey());
        return client.peerHandshake(target, noise.send(payload), null, null, relay, request)
            .thenApply(r -> noise.receive(r.noise()));
      };

      assertEquals(PeerError.VERSION_MISMATCH,
          ask.apply(clientPayload(2, null), once).get(10, TimeUnit.SECONDS).error());
      assertEquals(PeerError.ABORTED, ask.apply(clientPayload(1, null), once).get(10, TimeUnit.SECONDS).error());
      CompletableFuture<?> garbage = client.peerHandshake(target, new byte[100], null, null, relay, silent);
      assertThrows(CompletionException.class, garbage::join, "undecryptable: no answer");
      throwing.set(true);
      assertThrows(CompletionException.class, () -> ask.apply(clientPayload(1, UdxInfo.of(false, 9)), silent).join());

      // the server got both (a loaded machine may take longer than the 250 ms the requests waited)
      await().atMost(Duration.ofSeconds(15)).until(() -> server.stats().invalidHandshakes() >= 1
          && server.stats().firewalled() >= 1);
      ConnectionStats.Server stats = server.stats();
      assertEquals(1, stats.invalidHandshakes(), stats.toString());
      assertEquals(1, stats.firewalled(), stats.toString());
      assertEquals(0, stats.pendingHandshakes(), "errors hold no stream");
      assertEquals(4, stats.settledHandshakes());
    }
  }

  @Test
  void shouldOfferTheNodeThatForwardedTheHandshakeAsItsRelayWhenItsAnnounceFoundNone() throws Exception {
    HyperDht node = net.createNode(o -> o.withNode(o.node().withQuickFirewall(false))); // firewalled: it punches
    KeyPair keys = HyperDhtCrypto.keyPair(seed(56));
    // an announcer that never committed: no relays, as when every commit of the first announce timed out
    Announcer none = new Announcer(node.node(), keys, HyperDhtCrypto.hash(keys.publicKey()));
    ServerHandshakes handshakes = new ServerHandshakes(node.connections(), ServerOptions.DEFAULT, keys, none, c -> {});
    NoiseWrap noise = NoiseWrap.initiator(HyperDhtCrypto.keyPair(), keys.publicKey());
    Handshake forwarded = new Handshake(io.hyperinfer.hyperdht.wire.RouteMode.FROM_RELAY,
        noise.send(clientPayload(1, UdxInfo.of(false, 9))), new HostPort("10.9.0.7", 4000), null);
    HostPort relay = new HostPort("10.9.0.2", 49737);
    HostPort seenAs = new HostPort("10.9.0.13", 31000);
    CompletableFuture<LocalServer.Answer> answered = new CompletableFuture<>();

    node.node().execute(() -> answered.complete(handshakes.answer(forwarded,
        new ServerPunchTest.Arrived(io.hyperinfer.dht.Peer.of(relay), seenAs))));

    NoisePayload reply = noise.receive(answered.get(10, TimeUnit.SECONDS).value());
    node.node().execute(handshakes::clear);
    assertEquals(List.of(new HolepunchInfo.RelayInfo(relay, seenAs)), reply.holepunch().relays(),
        "a client offered no relay sends straight to a firewalled server, and nothing gets through");
  }

  /** A node whose own "server" answers every handshake with {@code payload} (or garbage when null). */
  private static HyperDht fakeServer(KeyPair keys, NoisePayload payload) {
    HyperDht node = net.addPersistent(o -> o);
    node.listen(new Peer(keys.publicKey(), List.of()), new LocalServer() {
      @Override
      public CompletionStage<Answer> onHandshake(Handshake handshake, IncomingRequest request) {
        NoiseWrap noise = NoiseWrap.responder(keys);
        noise.receive(handshake.noise());
        byte[] reply = payload == null ? new byte[80] : noise.send(payload);
        return CompletableFuture.completedFuture(new Answer(reply, null));
      }

      @Override
      public CompletionStage<Answer> onHolepunch(Holepunch holepunch, IncomingRequest request) {
        return null;
      }
    }).join();
    return node;
  }

  @Test
  void shouldFailWithTheServersErrorWhenItsAnswerIsNoGood() {
    ConnectOptions quick = ConnectOptions.DEFAULT.withTimeout(Duration.ofSeconds(8));
    KeyPair a = HyperDhtCrypto.keyPair(seed(53));
    fakeServer(a, NoisePayload.ofVersion(2));
    assertEquals(HyperDhtException.Code.SERVER_INCOMPATIBLE, connectFailure(client, a.publicKey(), quick).code());
    KeyPair b = HyperDhtCrypto.keyPair(seed(54));
    fakeServer(b, new NoisePayload(1, PeerError.ABORTED, 0, null, List.of(), List.of(), UdxInfo.of(false, 1),
        null, null, null));
    assertEquals(HyperDhtException.Code.SERVER_ERROR, connectFailure(client, b.publicKey(), quick).code());
    KeyPair c = HyperDhtCrypto.keyPair(seed(55));
    fakeServer(c, new NoisePayload(1, 0, 0, null, List.of(), List.of(), null, null, null, null));
    HyperDhtException noUdx = connectFailure(client, c.publicKey(), quick);
    assertEquals(HyperDhtException.Code.SERVER_ERROR, noUdx.code());
    assertTrue(noUdx.getMessage().contains("UDX"), noUdx.getMessage());
    KeyPair d = HyperDhtCrypto.keyPair(seed(56));
    fakeServer(d, null);
    HyperDhtException garbage = connectFailure(client, d.publicKey(), quick);
    assertEquals(HyperDhtException.Code.PEER_CONNECTION_FAILED, garbage.code());
    assertTrue(garbage.trace().toString().contains("invalid message 2"), garbage.trace().toString());
  }

  @Test
  void shouldDestroyAConnectionWhoseHandlerThrowsAndStartOneItLeavesAlone() throws Exception {
    HyperDht node = net.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair(seed(57));
    AtomicReference<String> mode = new AtomicReference<>("throw");
    List<HyperDhtConnection> seen = new CopyOnWriteArrayList<>();
    ConnectOptions quick = ConnectOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));
    try (HyperDhtServer server = node.createServer(ServerOptions.DEFAULT, connection -> {
      seen.add(connection);
      if (mode.get().equals("throw")) {
        throw new IllegalStateException("handler bug");
      }
    })) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      HyperDhtException broken = connectFailure(client, keys.publicKey(), quick);
      assertEquals(HyperDhtException.Code.PEER_CONNECTION_FAILED, broken.code(), broken.getMessage());

      mode.set("idle");
      SecretStream stream = client.connect(keys.publicKey(), quick, null).get(30, TimeUnit.SECONDS);
      HyperDhtConnection accepted = seen.get(1);
      SecretStream serverSide = accepted.started().get(10, TimeUnit.SECONDS);
      assertFalse(accepted.isInitiator());
      assertArrayEquals(keys.publicKey(), accepted.publicKey());
      assertArrayEquals(client.defaultKeyPair().publicKey(), accepted.remotePublicKey());
      assertTrue(accepted.rawStream().connected());
      assertEquals(accepted.rawStream().remoteAddress().getPort(), accepted.remoteAddress().port());
      assertTrue(accepted.toString().startsWith("HyperDhtConnection[from "));
      assertThrows(IllegalStateException.class, accepted::start, "started once only");
      stream.write(new byte[] {4});
      assertArrayEquals(new byte[] {4}, serverSide.read());
      accepted.destroy();
      await().atMost(Duration.ofSeconds(10)).until(stream::isClosed);
    }
  }

  @Test
  void shouldReleaseHandshakesWaitingForAFirstPacketWhenTheServerCloses() throws Exception {
    HyperDht node = net.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair(seed(58));
    HyperDhtServer server = echoServer(node, ServerOptions.DEFAULT, new CopyOnWriteArrayList<>());
    server.listen(keys).get(30, TimeUnit.SECONDS);
    NoiseWrap noise = NoiseWrap.initiator(HyperDhtCrypto.keyPair(), keys.publicKey());
    client.peerHandshake(HyperDhtCrypto.hash(keys.publicKey()), noise.send(clientPayload(1, UdxInfo.of(false, 3))),
        null, null, server.relays().get(0).relayAddress(), RequestOptions.DEFAULT).get(10, TimeUnit.SECONDS);
    assertEquals(1, server.stats().pendingHandshakes());
    assertEquals(1, node.connectionStats().rawStreams());

    server.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> node.connectionStats().rawStreams() == 0);
    assertEquals(0, node.connectionStats().servers());
  }

  @Test
  void shouldFailAtTheDeadlineAndWhenTheNodeCloses() throws Exception {
    HyperDht node = net.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair(seed(59));
    ServerOptions silent = ServerOptions.DEFAULT.withFirewall((k, p, a) -> false);
    try (HyperDhtServer server = echoServer(node, silent, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      HyperDhtException late = connectFailure(client, keys.publicKey(),
          ConnectOptions.DEFAULT.withTimeout(Duration.ofMillis(500))); // the silent server's first send waits 1 s
      assertEquals(HyperDhtException.Code.PEER_CONNECTION_FAILED, late.code());
      assertTrue(late.getMessage().contains("no connection within 500 ms"), late.getMessage());

      HyperDht doomed = net.createNode();
      CompletableFuture<SecretStream> pending = doomed.connect(keys.publicKey());
      await().atMost(Duration.ofSeconds(10)).until(() -> doomed.connectionStats().connectsInFlight() == 1);
      doomed.close();
      CompletionException e = assertThrows(CompletionException.class, pending::join);
      assertEquals(HyperDhtException.Code.NODE_DESTROYED, assertInstanceOf(HyperDhtException.class, e.getCause())
          .code());
    }
  }

  @Test
  void shouldCloseWithinItsLimitWhenAConnectsCallerBlocksOnItsFailure() throws Exception {
    HyperDht node = net.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair(seed(62));
    ServerOptions silent = ServerOptions.DEFAULT.withFirewall((k, p, a) -> false);
    try (HyperDhtServer server = echoServer(node, silent, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      HyperDht doomed = net.createNode();
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<SecretStream> blocked = doomed.connect(keys.publicKey());
      // a stage that runs where the connect fails, and blocks there: on close, that is the closing thread
      blocked.whenComplete((s, e) -> awaitQuietly(release));
      CompletableFuture<SecretStream> timingOut = doomed.connect(keys.publicKey(),
          ConnectOptions.DEFAULT.withTimeout(Duration.ofMillis(300)), null);
      await().atMost(Duration.ofSeconds(10)).until(() -> doomed.connectionStats().connectsInFlight() == 2
          || timingOut.isDone());
      try {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> doomed.close(Duration.ofMillis(500)));
        assertEquals(HyperDhtException.Code.NODE_DESTROYED, assertInstanceOf(HyperDhtException.class,
            assertThrows(CompletionException.class, blocked::join).getCause()).code());
        assertTrue(timingOut.isCompletedExceptionally());
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> doomed.close(Duration.ofMillis(200)),
            "a second close while the first teardown is stuck returns too");
      } finally {
        release.countDown();
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> doomed.connectionStats().connectsInFlight() == 0);
      doomed.close(); // the teardown finished behind the first close: this one returns at once
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void shouldConnectThroughSeedsTheCacheAndItsOwnRoute() throws Exception {
    HyperDht node = net.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair(seed(60));
    try (HyperDhtServer server = echoServer(node, ServerOptions.DEFAULT, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      HyperDht fresh = net.createNode(o -> o.withNode(o.node().withQuickFirewall(false)));
      AtomicReference<ConnectTrace> trace = new AtomicReference<>();
      SecretStream seeded = fresh.connect(keys.publicKey(), ConnectOptions.DEFAULT
          .withRelayAddresses(server.relayAddresses()).withTraceSink(trace::set), null).get(30, TimeUnit.SECONDS);
      assertTrue(trace.get().toString().contains("seeded with"), trace.get().toString());
      seeded.destroy();
      assertEquals(1, fresh.connectionStats().cachedRelays(), "the relays that worked are cached");

      SecretStream cached = fresh.connect(keys.publicKey(), ConnectOptions.DEFAULT.withTraceSink(trace::set), null)
          .get(30, TimeUnit.SECONDS);
      assertTrue(trace.get().toString().contains("seeded with"), "the cache seeds the next connect");
      cached.destroy();

      // a node other than the server's: its own node can be among those holding its announcement (seen once, at
      // load ~6), and a connect from there is answered directly, with nothing to seed
      HostPort relay = server.relays().stream().map(HolepunchInfo.RelayInfo::relayAddress)
          .filter(a -> !a.equals(node.localAddress())).findFirst().orElseThrow();
      HyperDht relayNode = net.nodes().stream().filter(n -> n.localAddress().equals(relay)).findFirst().orElseThrow();
      SecretStream routed = relayNode.connect(keys.publicKey(), ConnectOptions.DEFAULT.withTraceSink(trace::set), null)
          .get(30, TimeUnit.SECONDS);
      assertTrue(trace.get().toString().contains("seeded with [" + node.node().socket().localAddress())
          || trace.get().toString().contains("seeded with"), "a relay seeds with its own route: " + trace.get());
      routed.destroy();
    }
  }

  @Test
  void shouldForgetAFailedConnectAndCountUses() throws Exception {
    ConnectionPool pool = client.pool();
    pool.addListener(new ConnectionPool.Listener() {});
    byte[] nobody = HyperDhtCrypto.keyPair(seed(61)).publicKey();
    CompletionException e = assertThrows(CompletionException.class, () -> pool.connect(nobody).join());
    assertEquals(HyperDhtException.Code.PEER_NOT_FOUND,
        assertInstanceOf(HyperDhtException.class, e.getCause()).code());
    assertFalse(pool.has(nobody), "a failed connect leaves the pool");
    pool.release(nobody); // unknown: nothing to do
    pool.close();
  }

}
