package io.hyperinfer.hyperdht;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.secretstream.SecretStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Java clients and Java servers on a Java testnet on 127.0.0.1: connect, echo, errors, close, no leaks. */
@Timeout(120)
class ConnectIT {
  private static Testnet net;
  private static HyperDht serverNode;
  private static HyperDht clientNode;
  /**
   * A refusing firewall stays silent, so a refused connect ends when its handshakes run out of sends: 4 of 100 ms
   * per relay here instead of dht-rpc's 4 of 1 s (loopback answers come in milliseconds, and a reply to any of the
   * 4 sends counts).
   */
  static final ConnectOptions REFUSED_FAST =
      ConnectOptions.DEFAULT.withTimeout(Duration.ofSeconds(15)).withHandshakeTimeout(Duration.ofMillis(100));

  @BeforeAll
  static void network() {
    net = Testnet.create(5);
    serverNode = net.createNode();
    clientNode = net.createNode();
  }

  @AfterAll
  static void close() {
    if (net != null) {
      net.close();
    }
  }

  /** A server that echoes every message back, recording the keys it accepted. */
  static HyperDhtServer echoServer(HyperDht node, ServerOptions options, List<byte[]> accepted) {
    return node.createServer(options, connection -> {
      accepted.add(connection.remotePublicKey());
      SecretStream s = connection.start();
      byte[] m;
      while ((m = s.read()) != null) {
        s.write(m);
      }
      s.end();
    });
  }

  @Test
  void shouldEchoAMegabyteWhenAJavaClientConnectsToAJavaServer() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(1));
    List<byte[]> accepted = new CopyOnWriteArrayList<>();
    try (HyperDhtServer server = echoServer(serverNode, ServerOptions.DEFAULT, accepted)) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      assertEquals(3, server.relayAddresses().size(), "announced to three relays");

      SecretStream stream = clientNode.connect(keys.publicKey()).get(30, TimeUnit.SECONDS);
      byte[] payload = new byte[1 << 20];
      new SplittableRandom(7).nextBytes(payload);
      for (int at = 0; at < payload.length; at += 65536) {
        stream.write(Arrays.copyOfRange(payload, at, at + 65536));
      }
      byte[] echoed = new byte[payload.length];
      for (int at = 0; at < payload.length; ) {
        byte[] m = stream.read();
        System.arraycopy(m, 0, echoed, at, m.length);
        at += m.length;
      }
      assertArrayEquals(payload, echoed);
      assertArrayEquals(keys.publicKey(), stream.remotePublicKey());
      assertEquals(1, accepted.size());
      assertArrayEquals(clientNode.defaultKeyPair().publicKey(), accepted.get(0), "the server saw the proven key");
      stream.destroy();
    }
  }

  @Test
  void shouldFailWithPeerNotFoundWhenNoServerListens() {
    byte[] nobody = HyperDhtCrypto.keyPair(seed(2)).publicKey();
    CompletionException e = assertThrows(CompletionException.class, () -> clientNode.connect(nobody).join());
    HyperDhtException cause = assertInstanceOf(HyperDhtException.class, e.getCause());
    assertEquals(HyperDhtException.Code.PEER_NOT_FOUND, cause.code());
    assertNotNull(cause.trace());
    assertTrue(cause.trace().has(ConnectTrace.Phase.LOOKUP), cause.trace().toString());
  }

  @Test
  void shouldFailWithPeerConnectionFailedAndLeakNothingWhenTheFirewallRejects() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(3));
    ServerOptions rejectAll = ServerOptions.DEFAULT.withFirewall((key, payload, address) -> false);
    try (HyperDhtServer server = echoServer(serverNode, rejectAll, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      ConnectionStats before = clientNode.connectionStats();
      List<CompletableFuture<SecretStream>> attempts = new ArrayList<>(); // at once: each waits out its silent sends
      for (int i = 0; i < 3; i++) {
        attempts.add(clientNode.connect(keys.publicKey(), REFUSED_FAST, null));
      }
      for (CompletableFuture<SecretStream> attempt : attempts) {
        CompletionException e = assertThrows(CompletionException.class, attempt::join);
        HyperDhtException cause = assertInstanceOf(HyperDhtException.class, e.getCause());
        assertEquals(HyperDhtException.Code.PEER_CONNECTION_FAILED, cause.code(), cause.getMessage());
      }
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        ConnectionStats after = clientNode.connectionStats();
        assertEquals(before.rawStreams(), after.rawStreams(), "no raw stream left behind");
        assertEquals(0, after.connectsInFlight());
      });
      ConnectionStats.Server s = server.stats();
      assertEquals(0, s.pendingHandshakes(), "a rejected handshake holds nothing");
      assertEquals(0, s.connections());
      assertTrue(s.firewalled() >= 3, "each attempt was judged: " + s);
    }
  }

  @Test
  void shouldReleaseTheAttemptWithConnectAbortedWhenTheCallerCancelsIt() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(5));
    // the server stays silent to every handshake, so the connect is still in flight (waiting for replies) when
    // cancelled
    CompletableFuture<Void> judged = new CompletableFuture<>();
    ServerOptions silent = ServerOptions.DEFAULT.withFirewall((key, payload, address) -> {
      judged.complete(null);
      return false;
    });
    try (HyperDhtServer server = echoServer(serverNode, silent, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      ConnectionStats before = clientNode.connectionStats();
      CompletableFuture<ConnectTrace> traced = new CompletableFuture<>();
      CompletableFuture<SecretStream> pending = clientNode.connect(keys.publicKey(),
          ConnectOptions.DEFAULT.withTraceSink(traced::complete), null);
      judged.get(30, TimeUnit.SECONDS);
      assertTrue(pending.cancel(true), "still in flight");
      ConnectTrace trace = traced.get(10, TimeUnit.SECONDS);
      assertTrue(trace.has(ConnectTrace.Phase.FAILED), trace.toString());
      assertTrue(trace.toString().contains("CONNECT_ABORTED"), trace.toString());
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        ConnectionStats after = clientNode.connectionStats();
        assertEquals(before.rawStreams(), after.rawStreams(), "no raw stream left behind");
        assertEquals(0, after.connectsInFlight());
      });
    }
  }

  @Test
  void shouldUnannounceWhenTheServerCloses() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(4));
    HyperDhtServer server = echoServer(serverNode, ServerOptions.DEFAULT, new CopyOnWriteArrayList<>());
    server.listen(keys).get(30, TimeUnit.SECONDS);
    assertEquals(3, clientNode.findPeer(keys.publicKey()).finished().get(30, TimeUnit.SECONDS).replies().size());
    server.close();
    assertEquals(0, clientNode.findPeer(keys.publicKey()).finished().get(30, TimeUnit.SECONDS).replies().size());
    await().atMost(Duration.ofSeconds(10)).until(() -> serverNode.connectionStats().servers() == 0);
  }

  static byte[] seed(int n) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) n);
    return s;
  }
}
