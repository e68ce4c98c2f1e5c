package io.hyperinfer.hyperdht;

import static io.hyperinfer.hyperdht.ConnectIT.echoServer;
import static io.hyperinfer.hyperdht.ConnectIT.seed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.secretstream.SecretStream;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections through a Java blind relay between Java peers on 127.0.0.1: firewalled client and server nodes, no LAN
 * shortcut and no punch on the server (JS {@code holepunch: false}), so the relay is the only path, as in hyperdht's
 * own relaying tests.
 */
@Timeout(120)
class BlindRelayIT {
  private static final ConnectOptions NO_LAN = ConnectOptions.DEFAULT.withLocalConnection(false);
  private static final ServerOptions NO_PUNCH = ServerOptions.DEFAULT.withShareLocalAddress(false)
      .withHolepunch(HolepunchVeto.NEVER);
  private static Testnet net;
  private static HyperDht relayNode;
  private static HyperDht serverNode;
  private static HyperDht clientNode;
  private static BlindRelay relay;

  /** The relay's server and its protocol handler. */
  record BlindRelay(BlindRelayServer protocol, HyperDhtServer server) {}

  @BeforeAll
  static void network() throws Exception {
    net = Testnet.create(6);
    relayNode = net.createNode();
    serverNode = net.createNode(o -> o.withNode(o.node().withQuickFirewall(false)));
    clientNode = net.createNode(o -> o.withNode(o.node().withQuickFirewall(false)));
    BlindRelayServer protocol = new BlindRelayServer(relayNode);
    HyperDhtServer server = relayNode.createServer(ServerOptions.DEFAULT, protocol);
    server.listen(HyperDhtCrypto.keyPair(seed(90))).get(30, TimeUnit.SECONDS);
    relay = new BlindRelay(protocol, server);
  }

  @AfterAll
  static void close() {
    if (relay != null) {
      relay.protocol().close();
    }
    if (net != null) {
      net.close();
    }
  }

  private static void assertEchoes(SecretStream stream, int size) {
    byte[] payload = new byte[size];
    new SplittableRandom(size).nextBytes(payload);
    Thread.ofVirtual().start(() -> {
      for (int at = 0; at < size; at += 65536) {
        stream.write(java.util.Arrays.copyOfRange(payload, at, Math.min(size, at + 65536)));
      }
    });
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    while (got.size() < size) {
      got.writeBytes(stream.read());
    }
    assertArrayEquals(payload, got.toByteArray(), "every byte came back through the relay");
  }

  @Test
  void shouldEchoThroughTheRelayWhenTheClientAsksForIt() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(91));
    long matched = relay.protocol().stats().pairingsMatched();
    try (HyperDhtServer server = echoServer(serverNode, NO_PUNCH, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      AtomicReference<ConnectTrace> trace = new AtomicReference<>();

      SecretStream stream = clientNode.connect(keys.publicKey(), NO_LAN.withTraceSink(trace::set)
          .withRelayThrough(RelayThrough.of(relay.server().publicKey())), null).get(30, TimeUnit.SECONDS);

      assertEquals(ConnectTrace.Path.RELAYED, trace.get().path(), trace.get().toString());
      assertEchoes(stream, 1 << 20);
      assertEquals(matched + 1, relay.protocol().stats().pairingsMatched());
      stream.destroy();
    }
  }

  @Test
  void shouldEchoThroughTheRelayWhenTheServerAsksForIt() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(92));
    long matched = relay.protocol().stats().pairingsMatched();
    ServerOptions relayed = NO_PUNCH.withRelayThrough(RelayThrough.of(relay.server().publicKey()));
    try (HyperDhtServer server = echoServer(serverNode, relayed, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      AtomicReference<ConnectTrace> trace = new AtomicReference<>();

      SecretStream stream = clientNode.connect(keys.publicKey(), NO_LAN.withTraceSink(trace::set), null)
          .get(30, TimeUnit.SECONDS);

      assertEquals(ConnectTrace.Path.RELAYED, trace.get().path(), trace.get().toString());
      assertEchoes(stream, 256 * 1024);
      assertEquals(matched + 1, relay.protocol().stats().pairingsMatched());
      stream.destroy();
      await().atMost(Duration.ofSeconds(20)).until(() -> relay.protocol().stats().streamsClosed()
          == relay.protocol().stats().streamsOpened());
    }
  }

  @Test
  void shouldFailWithRelayAbortedWhenTheRelayIsUnreachable() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(93));
    try (HyperDhtServer server = echoServer(serverNode, NO_PUNCH, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      byte[] nobody = HyperDhtCrypto.keyPair(seed(94)).publicKey();

      CompletionException e = assertThrows(CompletionException.class, () -> clientNode.connect(keys.publicKey(),
          NO_LAN.withRelayThrough(RelayThrough.of(nobody)), null).join());

      // the punch fails after the relay did, and its error ends the attempt, as in JS
      HyperDhtException cause = assertInstanceOf(HyperDhtException.class, e.getCause());
      assertTrue(cause.trace().toString().contains("relay: RELAY_ABORTED: cannot reach the relay"),
          cause.trace().toString());
    }
  }

  /** A bare control connection to the relay, with the pairing client on it. */
  private static BlindRelayClient control(MuxStream mux) throws Exception {
    // the channel exists before the stream, as RelayLink makes it: the relay's open must find it
    BlindRelayClient client = new BlindRelayClient(mux, clientNode.defaultKeyPair().publicKey());
    SecretStream s = clientNode.connect(relay.server().publicKey(), ConnectOptions.DEFAULT, mux)
        .get(30, TimeUnit.SECONDS);
    mux.attach(s);
    return client;
  }

  private static void awaitPending(int n) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(n,
        relay.protocol().stats().pairingsPending(), relay.protocol().stats().toString()));
  }

  private static byte[] token(int b) {
    byte[] t = new byte[32];
    java.util.Arrays.fill(t, (byte) b);
    return t;
  }

  @Test
  void shouldForgetAWaitingPairingWhenItsPeerCancelsIt() throws Exception {
    MuxStream mux = new MuxStream();
    BlindRelayClient client = control(mux);
    long cancelled = relay.protocol().stats().pairingsCancelled();
    var answer = client.pair(true, token(1), 5);
    awaitPending(1);

    client.cancel(token(1));

    awaitPending(0);
    assertEquals(cancelled + 1, relay.protocol().stats().pairingsCancelled());
    CompletionException e = assertThrows(CompletionException.class, answer::join);
    assertEquals(HyperDhtException.Code.RELAY_ABORTED, ((HyperDhtException) e.getCause()).code());
    mux.destroy("test over");
  }

  @Test
  void shouldIgnoreACancelFromAnotherConnectionAndForAnUnknownToken() throws Exception {
    MuxStream asking = new MuxStream();
    MuxStream stranger = new MuxStream();
    BlindRelayClient owner = control(asking);
    BlindRelayClient other = control(stranger);
    int before = relay.protocol().stats().pairingsPending();
    long cancelled = relay.protocol().stats().pairingsCancelled();
    var waiting = owner.pair(true, token(21), 5);
    awaitPending(before + 1);

    other.cancel(token(21)); // only the connection that asked may cancel its waiting pairing
    other.cancel(token(22)); // nobody asked for this one
    other.pair(true, token(23), 6); // the relay reads a connection's messages in order: once this waits, both were read
    awaitPending(before + 2);

    assertEquals(cancelled, relay.protocol().stats().pairingsCancelled(), "neither cancel counted");
    assertFalse(waiting.isDone(), "the owner's pairing still waits for its peer");
    asking.destroy("test over");
    stranger.destroy("test over");
    awaitPending(before);
  }

  @Test
  void shouldDropWaitingPairingsWhenTheControlConnectionCloses() throws Exception {
    MuxStream mux = new MuxStream();
    BlindRelayClient client = control(mux);
    long closed = relay.protocol().stats().sessionsClosed();
    var first = client.pair(false, token(2), 6);
    var again = client.pair(false, token(2), 6);
    awaitPending(1);

    mux.destroy("test over");

    await().atMost(Duration.ofSeconds(20)).until(() -> relay.protocol().stats().pairingsPending() == 0
        && relay.protocol().stats().sessionsClosed() == closed + 1);
    assertThrows(CompletionException.class, again::join, "a second request for one token is refused at once");
    assertThrows(CompletionException.class, first::join, "the waiting request fails with its channel");
  }

  @Test
  void shouldRefuseMorePairingsThanTheClientCapWhenOneConnectionAsks() throws Exception {
    MuxStream mux = new MuxStream();
    BlindRelayClient client = control(mux);
    for (int i = 0; i < BlindRelayClient.MAX_REQUESTS; i++) {
      client.pair(true, token(10 + i), i);
    }

    assertThrows(CompletionException.class, () -> client.pair(true, token(200), 200).join());
    awaitPending(BlindRelayClient.MAX_REQUESTS);
    client.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> relay.protocol().stats().pairingsPending() == 0);
    mux.destroy("test over");
  }

  @Test
  void shouldRefusePairingsOverTheRelaysPerConnectionCapAndIgnoreARepeatedSide() throws Exception {
    // a raw channel, not BlindRelayClient (which stops at its own cap first)
    MuxStream mux = new MuxStream();
    io.hyperinfer.protomux.Channel ch = mux.mux().createChannel(BlindRelayServer.PROTOCOL,
        clientNode.defaultKeyPair().publicKey(), new io.hyperinfer.protomux.ChannelListener() {});
    io.hyperinfer.protomux.Message<io.hyperinfer.hyperdht.wire.RelayPair> pair =
        ch.addMessage(io.hyperinfer.hyperdht.wire.RelayPair.CODEC, null);
    ch.open(null);
    mux.attach(clientNode.connect(relay.server().publicKey(), ConnectOptions.DEFAULT, mux).get(30, TimeUnit.SECONDS));
    BlindRelayServer.Stats before = relay.protocol().stats();

    for (int i = 0; i < BlindRelayServer.MAX_PENDING_PER_SESSION + 2; i++) {
      pair.send(new io.hyperinfer.hyperdht.wire.RelayPair(true, token(100 + i), i, 0));
    }
    pair.send(new io.hyperinfer.hyperdht.wire.RelayPair(true, token(100), 1, 0));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      BlindRelayServer.Stats now = relay.protocol().stats();
      assertEquals(before.pairingsRefused() + 2, now.pairingsRefused(), now.toString());
      assertEquals(BlindRelayServer.MAX_PENDING_PER_SESSION, now.pairingsPending(), now.toString());
    });
    assertEquals(before.pairingsRequested() + BlindRelayServer.MAX_PENDING_PER_SESSION,
        relay.protocol().stats().pairingsRequested(), "the repeated side was not counted again");
    mux.destroy("test over");
    awaitPending(0);
  }

  @Test
  void shouldDropBothStreamsOfAPairingWhenOnePeerUnpairsIt() throws Exception {
    MuxStream first = new MuxStream();
    MuxStream second = new MuxStream();
    BlindRelayClient a = control(first);
    BlindRelayClient b = control(second);
    BlindRelayServer.Stats before = relay.protocol().stats();

    var fromA = a.pair(true, token(3), 11);
    var fromB = b.pair(false, token(3), 12);
    fromA.get(30, TimeUnit.SECONDS);
    fromB.get(30, TimeUnit.SECONDS);
    assertEquals(before.streamsOpened() + 2, relay.protocol().stats().streamsOpened(), "one stream per end");

    a.cancel(token(3));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(before.streamsClosed() + 2,
        relay.protocol().stats().streamsClosed(), relay.protocol().stats().toString()));
    assertEquals(before.pairingsCancelled() + 1, relay.protocol().stats().pairingsCancelled());
    first.destroy("test over");
    second.destroy("test over");
  }

  @Test
  void shouldEndItsSessionsAndRefuseNewOnesWhenTheRelayCloses() throws Exception {
    BlindRelayServer own = new BlindRelayServer(relayNode);
    try (HyperDhtServer server = relayNode.createServer(ServerOptions.DEFAULT, own)) {
      server.listen(HyperDhtCrypto.keyPair(seed(95))).get(30, TimeUnit.SECONDS);
      MuxStream mux = new MuxStream();
      BlindRelayClient client = new BlindRelayClient(mux, clientNode.defaultKeyPair().publicKey());
      mux.attach(clientNode.connect(server.publicKey(), ConnectOptions.DEFAULT, mux).get(30, TimeUnit.SECONDS));
      var waiting = client.pair(true, token(4), 7);
      await().atMost(Duration.ofSeconds(30)).until(() -> own.stats().pairingsPending() == 1);

      own.close();

      assertEquals(1, own.stats().sessionsClosed());
      assertEquals(0, own.stats().pairingsPending());
      assertThrows(CompletionException.class, waiting::join, "the waiting pairing fails with its session");
      var late = clientNode.connect(server.publicKey(), ConnectOptions.DEFAULT, null);
      await().atMost(Duration.ofSeconds(30)).until(() -> late.isCompletedExceptionally()
          || (late.isDone() && late.join().isClosed())); // dropped before or right after its first bytes
      assertEquals(1, own.stats().sessionsAccepted(), "a connection after close gets no session");
    }
  }

  @Test
  void shouldAbortARelayLinkWhoseNodeIsClosed() {
    HyperDht node = net.createNode();
    Connections ctx = node.udxConnections();
    io.hyperinfer.udx.UdxStream raw = ctx.rawStreams.create((stream, socket, from) -> false);
    node.close();

    RelayLink link = RelayLink.start(ctx, new RelayLink.Plan(relay.server().publicKey(), token(5), true), raw);

    CompletionException e = assertThrows(CompletionException.class, () -> link.paired().join());
    assertEquals(HyperDhtException.Code.RELAY_ABORTED, ((HyperDhtException) e.getCause()).code());
    assertEquals(1, node.relayStats().aborts());
  }
}
