package io.hyperinfer.hyperdht;

import static io.hyperinfer.hyperdht.ConnectIT.seed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.secretstream.SecretStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connection pools on two Java nodes of a loopback testnet: single-flight connects, inbound reuse, linger. */
@Timeout(120)
class ConnectionPoolIT {
  private static Testnet net;

  @BeforeAll
  static void network() {
    net = Testnet.create(4);
  }

  @AfterAll
  static void close() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void shouldConnectOnceWhenManyAskAtOnceAndEndTheStreamAfterTheLinger() throws Exception {
    HyperDht serverNode = net.createNode();
    HyperDht clientNode = net.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair(seed(41));
    List<HyperDhtConnection> accepted = new CopyOnWriteArrayList<>();
    try (HyperDhtServer server = serverNode.createServer(ServerOptions.DEFAULT, accepted::add);
        ConnectionPool pool = new ConnectionPool(clientNode, Duration.ofMillis(300))) {
      server.listen(keys).get(30, TimeUnit.SECONDS);

      CompletableFuture<SecretStream> a = pool.connect(keys.publicKey());
      CompletableFuture<SecretStream> b = pool.connect(keys.publicKey());
      // no count of connects in flight here: on a loaded host the first can finish before the test reads it
      SecretStream stream = a.get(30, TimeUnit.SECONDS);
      assertSame(stream, b.get(30, TimeUnit.SECONDS), "one connect served both");
      assertEquals(0, pool.connecting());
      assertEquals(1, pool.size());

      pool.release(keys.publicKey());
      assertFalse(stream.isClosed(), "still used once");
      pool.release(keys.publicKey());
      await().atMost(Duration.ofSeconds(10)).until(() -> !pool.has(keys.publicKey()));
      assertTrue(stream.isClosed(), "the linger ended it");
      assertEquals(1, accepted.size(), "the server saw one connection");
      assertEquals(1, server.stats().connections());
    }
  }

  @Test
  void shouldReuseTheStreamTheRemoteOpenedToOurServer() throws Exception {
    HyperDht serverNode = net.createNode();
    HyperDht clientNode = net.createNode();
    KeyPair serverKeys = HyperDhtCrypto.keyPair(seed(42));
    KeyPair clientKeys = HyperDhtCrypto.keyPair(seed(43));
    try (ConnectionPool serverPool = new ConnectionPool(serverNode, Duration.ofSeconds(10));
        HyperDhtServer server = serverNode.createServer(ServerOptions.DEFAULT, serverPool.serving(c -> {}))) {
      server.listen(serverKeys).get(30, TimeUnit.SECONDS);
      SecretStream outbound = clientNode.connect(serverKeys.publicKey(),
          ConnectOptions.DEFAULT.withKeyPair(clientKeys), null).get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> serverPool.has(clientKeys.publicKey()));

      // the client runs no server: only the inbound stream can serve this
      SecretStream back = serverPool.connect(clientKeys.publicKey()).get(10, TimeUnit.SECONDS);

      assertArrayEquals(clientKeys.publicKey(), back.remotePublicKey());
      assertFalse(back.isInitiator(), "the stream the client opened");
      back.write(new byte[] {9});
      assertArrayEquals(new byte[] {9}, outbound.read());
      outbound.destroy();
    }
  }
}
