package io.hyperinfer.hyperdht;

import static io.hyperinfer.hyperdht.ConnectIT.echoServer;
import static io.hyperinfer.hyperdht.ConnectIT.seed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.NoisePayload;
import io.hyperinfer.hyperdht.wire.SecretStreamInfo;
import io.hyperinfer.hyperdht.wire.UdxInfo;
import io.hyperinfer.secretstream.ConnectionLimiter;
import io.hyperinfer.secretstream.SecretStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A flood of distinct Noise message 1s (hyperdht#294) from two loopback addresses against a Java server whose
 * handshake caps are small: the handshakes waiting for a first packet never exceed the caps, each holds one UDX
 * stream and nothing more, a client from a third address still connects during the flood (the limiter evicts the
 * flooders' oldest handshakes for it), and every stream is gone once the flood's handshakes expire.
 */
@Timeout(120)
class HandshakeFloodIT {
  private static final ConnectionLimiter.Limits LIMITS = new ConnectionLimiter.Limits(64, 32, 16, 8);
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

  private static HyperDht nodeOn(String host) {
    HyperDht node = HyperDht.create(HyperDhtOptions.DEFAULT.withHost(host).withBootstrap(net.bootstrap())
        .withMode(NodeOptions.Mode.EPHEMERAL));
    node.ready().join();
    return node;
  }

  /** A valid message 1 from a fresh key: the server must decrypt it and would hold a stream for it. */
  private static byte[] message1(byte[] serverKey) {
    NoiseWrap noise = NoiseWrap.initiator(HyperDhtCrypto.keyPair(), serverKey);
    return noise.send(new NoisePayload(1, 0, Firewall.UNKNOWN, null, List.of(), List.of(), UdxInfo.of(false, 7),
        SecretStreamInfo.V1, null, null));
  }

  @Test
  void shouldBoundHandshakeStateAndStillAdmitANewcomerWhenFlooded() throws Exception {
    HyperDht serverNode = net.createNode();
    HyperDht floodA = nodeOn("127.0.0.2");
    HyperDht floodB = nodeOn("127.0.0.3");
    HyperDht newcomer = nodeOn("127.0.0.4");
    KeyPair keys = HyperDhtCrypto.keyPair(seed(31));
    // 4 s for a first packet, not the 10 s default: the flood and the newcomer's connect fit in it on loopback (the
    // newcomer must still find the flood pending to evict one), and the test then waits it out for the streams
    ServerOptions options = ServerOptions.DEFAULT.withLimits(LIMITS).withFirstPacketWait(Duration.ofSeconds(4));
    try (HyperDhtServer server = echoServer(serverNode, options, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      HostPort relay = server.relays().get(0).relayAddress(); // a relay, not this node (a direct flood is capped as connections)
      byte[] target = HyperDhtCrypto.hash(keys.publicKey());

      List<CompletableFuture<?>> flood = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        HyperDht from = i % 2 == 0 ? floodA : floodB;
        flood.add(from.peerHandshake(target, message1(keys.publicKey()), null, null, relay,
            RequestOptions.DEFAULT.withRetry(false)).handle((r, e) -> e == null));
      }
      CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      long answered = flood.stream().filter(f -> (Boolean) f.join()).count();

      ConnectionStats.Server flooded = server.stats();
      assertEquals(16, flooded.pendingHandshakes(), "8 per address, 16 in all: " + flooded);
      assertEquals(16, answered, "only admitted handshakes were answered");
      assertEquals(184, flooded.refusedHandshakes(), flooded.toString());
      assertEquals(16, serverNode.connectionStats().rawStreams(), "one stream per admitted handshake, no more");

      SecretStream stream = newcomer.connect(keys.publicKey()).get(30, TimeUnit.SECONDS);
      stream.write(new byte[] {1, 2, 3});
      assertArrayEquals(new byte[] {1, 2, 3}, stream.read());
      assertTrue(server.stats().evictedHandshakes() >= 1, "a flooder's handshake made room: " + server.stats());
      stream.destroy();

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertEquals(0, server.stats().pendingHandshakes());
        assertEquals(0, serverNode.connectionStats().rawStreams(), "every stream released");
      });
    } finally {
      floodA.close();
      floodB.close();
      newcomer.close();
    }
  }
}
