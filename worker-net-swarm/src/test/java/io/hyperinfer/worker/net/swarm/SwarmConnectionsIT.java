package io.hyperinfer.worker.net.swarm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@code facs.net.connections=swarm} gains over the pool: two workers that call each other both ways hold one
 * connection, not one per direction, and the swarm keeps it up: a peer restarted with its key is redialled without
 * anyone calling it, and a crashed peer's dead connection is replaced as soon as it comes back and dials. Two workers
 * that call each other first at the same instant settle on one connection and both first calls succeed, while a call
 * to a crashed peer that no connection is coming from fails with its dial.
 */
@Timeout(180)
class SwarmConnectionsIT extends OnTestnet {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private SwarmNetFacility start(KeyPair keys, String connections, String name) {
    SwarmNetFacility f = peers.start(keys, Config.empty(), "facs.net.connections=" + connections);
    f.respond("who", call -> TextNode.valueOf(name));
    return f;
  }

  private static JsonNode who(SwarmNetFacility from, SwarmNetFacility to) throws Exception {
    return from.request(to.publicKey(), "who", null, RequestOptions.timeout(WAIT)).get(30, TimeUnit.SECONDS);
  }

  private static PeerRef ref(SwarmNetFacility f) {
    return new PeerRef(f.publicKey());
  }

  @Test
  void shouldHoldOneConnectionPerPairWhenTwoWorkersCallEachOtherBothWays() throws Exception {
    SwarmNetFacility gateway = start(Ed25519.generate(), "swarm", "gateway");
    SwarmNetFacility processor = start(Ed25519.generate(), "swarm", "processor");
    assertEquals(TextNode.valueOf("processor"), who(gateway, processor));
    assertEquals(TextNode.valueOf("gateway"), who(processor, gateway));
    List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(gateway.request(processor.publicKey(), "who", null));
      calls.add(processor.request(gateway.publicKey(), "who", null));
    }
    for (int i = 0; i < calls.size(); i++) {
      assertEquals(TextNode.valueOf(i % 2 == 0 ? "processor" : "gateway"), calls.get(i).get(30, TimeUnit.SECONDS));
    }
    assertEquals(1, gateway.connectionsWith(ref(processor)));
    assertEquals(1, processor.connectionsWith(ref(gateway)));

    SwarmNetFacility pooledGateway = start(Ed25519.generate(), "pool", "gateway");
    SwarmNetFacility pooledProcessor = start(Ed25519.generate(), "pool", "processor");
    assertEquals(TextNode.valueOf("processor"), who(pooledGateway, pooledProcessor));
    assertEquals(TextNode.valueOf("gateway"), who(pooledProcessor, pooledGateway));
    assertEquals(2, pooledGateway.connectionsWith(ref(pooledProcessor)), "the pool opens one per direction");
  }

  @Test
  void shouldKeepOneConnectionWhenBothSidesCallFirstAtTheSameTime() throws Exception {
    SwarmNetFacility a = start(Ed25519.generate(), "swarm", "a");
    SwarmNetFacility b = start(Ed25519.generate(), "swarm", "b");
    CompletableFuture<JsonNode> ab = a.request(b.publicKey(), "who", null, RequestOptions.timeout(WAIT));
    CompletableFuture<JsonNode> ba = b.request(a.publicKey(), "who", null, RequestOptions.timeout(WAIT));
    assertEquals(TextNode.valueOf("b"), ab.get(30, TimeUnit.SECONDS));
    assertEquals(TextNode.valueOf("a"), ba.get(30, TimeUnit.SECONDS));
    await().atMost(WAIT).until(() -> a.connectionsWith(ref(b)) == 1 && b.connectionsWith(ref(a)) == 1);
    assertEquals(TextNode.valueOf("b"), who(a, b));
    assertEquals(TextNode.valueOf("a"), who(b, a));
  }

  @Test
  void shouldRedialARestartedPeerWhenNobodyCallsIt() throws Exception {
    SwarmNetFacility gateway = start(Ed25519.generate(), "swarm", "gateway");
    KeyPair processorKeys = Ed25519.generate();
    SwarmNetFacility first = start(processorKeys, "swarm", "first");
    assertEquals(TextNode.valueOf("first"), who(gateway, first));
    first.stop();
    await().atMost(WAIT).until(() -> gateway.connectionsWith(new PeerRef(processorKeys.publicKey())) == 0);

    SwarmNetFacility second = start(processorKeys, "swarm", "second");
    // Nobody calls: the gateway's swarm redials the key it kept, with its backoff.
    await().atMost(Duration.ofSeconds(60)).until(() -> second.connectionsWith(ref(gateway)) == 1);
    assertEquals(TextNode.valueOf("second"), gateway.request(second.publicKey(), "who", null,
        RequestOptions.timeout(Duration.ofSeconds(5))).get(10, TimeUnit.SECONDS));
    assertEquals(1, gateway.connectionsWith(ref(second)));
  }

  @Test
  void shouldReleaseACalledPeerWhenNobodyCalledItForTheIdleTimeout() throws Exception {
    // 2 s idle with a 500 ms keepalive on both sides, not 20 s and 5 s: the connection must outlive the release
    SwarmNetFacility gateway = peers.start(Ed25519.generate(), Config.empty(), "facs.net.connections=swarm",
        "facs.net.keepAlive=500ms", "facs.net.idleTimeout=2s");
    SwarmNetFacility processor = peers.start(Ed25519.generate(), Config.empty(), "facs.net.connections=swarm",
        "facs.net.keepAlive=500ms", "facs.net.idleTimeout=2s");
    processor.respond("who", call -> TextNode.valueOf("processor"));
    assertEquals(TextNode.valueOf("processor"), who(gateway, processor));
    assertEquals(1, gateway.calledPeers());
    await().atMost(Duration.ofSeconds(40)).until(() -> gateway.calledPeers() == 0);
    // released, not cut off: the connection stays (keepalives) and the next call uses it and counts again
    assertEquals(1, gateway.connectionsWith(ref(processor)));
    assertEquals(TextNode.valueOf("processor"), who(gateway, processor));
    assertEquals(1, gateway.calledPeers());
  }

  @Test
  void shouldFailACallAtOnceWhenThePeerCrashedAndNoConnectionIsComing() throws Exception {
    // a connect timeout the call outlives only if it waits for a connection nobody is bringing; the gateway dials
    // no live peer here, so its handshake sends to the crashed one's relays can time out at 100 ms
    SwarmNetFacility gateway = peers.start(Ed25519.generate(), Config.empty(), "facs.net.connections=swarm",
        "facs.net.connectTimeout=60s", "facs.net.handshakeTimeout=100ms");
    SwarmNetFacility crashed = start(Ed25519.generate(), "swarm", "crashed");
    crashed.dht().udx().orElseThrow().close(); // its record stays on the DHT; its relays' handshakes time out
    ExecutionException e = assertThrows(ExecutionException.class, () -> gateway.request(crashed.publicKey(), "who",
        null, RequestOptions.timeout(WAIT)).get(30, TimeUnit.SECONDS));
    NetException failure = assertInstanceOf(NetException.class, e.getCause());
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, failure.code());
    assertEquals("PEER_CONNECTION_FAILED", failure.details().path("reason").asText(), "the dial's own failure");
  }

  @Test
  void shouldReplaceACrashedPeersConnectionWhenItComesBackAndDials() throws Exception {
    SwarmNetFacility gateway = start(Ed25519.generate(), "swarm", "gateway");
    KeyPair processorKeys = Ed25519.generate();
    SwarmNetFacility crashed = start(processorKeys, "swarm", "crashed");
    assertEquals(TextNode.valueOf("crashed"), who(gateway, crashed));
    assertEquals(TextNode.valueOf("gateway"), who(crashed, gateway));
    crashed.dht().udx().orElseThrow().close(); // a SIGKILL: no word to the gateway, whose connection looks alive
    assertEquals(1, gateway.connectionsWith(ref(crashed)));

    SwarmNetFacility back = start(processorKeys, "swarm", "back");
    assertEquals(TextNode.valueOf("gateway"), who(back, gateway));
    // The gateway's swarm swapped the dead connection for the one the peer dialed: no idle timeout (20 s) to wait.
    assertEquals(TextNode.valueOf("back"), gateway.request(back.publicKey(), "who", null,
        RequestOptions.timeout(Duration.ofSeconds(5))).get(10, TimeUnit.SECONDS));
    await().atMost(WAIT).until(() -> gateway.connectionsWith(ref(back)) == 1);
  }
}
