package io.hyperinfer.worker.net.memory;

import static io.hyperinfer.worker.net.spi.NetFixture.await;
import static io.hyperinfer.worker.net.spi.NetFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.RequestOptions;
import io.hyperinfer.worker.net.StreamCall;
import io.hyperinfer.worker.net.spi.NetFixture;
import io.hyperinfer.worker.net.spi.RecordingListener;
import io.hyperinfer.worker.net.spi.TransportNetFacility;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the in-memory network adds to the shared machinery: copies, announcement TTL, latency, drops, failed peers. */
class MemoryNetworkTest {
  private final NetFixture<MemoryNetwork> net = memory(11);

  @AfterEach
  void tearDown() {
    net.close();
  }

  static NetFixture<MemoryNetwork> memory(long seed) {
    return new NetFixture<>(seed, scheduler -> new MemoryNetwork(scheduler, seed), MemoryNetFacility::new);
  }

  @Test
  void shouldGiveHandlerACopyWhenPayloadCrossesTheNetwork() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    AtomicReference<JsonNode> seen = new AtomicReference<>();
    server.respond("keep", call -> {
      seen.set(call.payload());
      return call.payload();
    });
    ObjectNode payload = Json.object().put("n", 1);
    JsonNode reply = await(client.request(server.publicKey(), "keep", payload));
    payload.put("n", 2);
    assertEquals(1, seen.get().get("n").asInt());
    assertEquals(1, reply.get("n").asInt());
    assertFalse(seen.get() == reply);
  }

  @Test
  void shouldReorderChunksWhenLatencyShufflesFrames() throws Exception {
    net.network.setLatency(Duration.ofMillis(1), Duration.ofMillis(50));
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    CountDownLatch finished = new CountDownLatch(1);
    server.respondStream("generate", (call, sink) -> {
      for (int i = 0; i < 20; i++) {
        sink.next(TextNode.valueOf("t" + i));
      }
      sink.end(TextNode.valueOf("done"));
      finished.countDown();
    });
    RecordingListener r = new RecordingListener();
    StreamCall call = client.requestStream(server.publicKey(), "generate", null, r);
    net.advance(Duration.ofMillis(50));
    assertTrue(finished.await(5, TimeUnit.SECONDS));
    net.advance(Duration.ofMillis(50));
    assertEquals("done", await(call.done()).asText());
    assertEquals(21, r.events.size());
    for (int i = 0; i < 20; i++) {
      assertEquals(i + ":t" + i, r.events.get(i));
    }
  }

  @Test
  void shouldReleaseStreamAndRequestWhenPeerNeverAnswers() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer("facs.net.streamTimeout=\"2m\"");
    server.respond("n", call -> TextNode.valueOf("never seen"));
    server.respondStream("s", (call, sink) -> sink.end(null));
    net.network.setDropRate(1.0);
    CompletableFuture<JsonNode> reply = client.request(server.publicKey(), "n", null);
    StreamCall stream = client.requestStream(server.publicKey(), "s", null, new RecordingListener());
    assertEquals(2, client.waiting());
    net.advance(Duration.ofSeconds(10));
    assertEquals(NetException.ERR_TIMEOUT, failure(reply).code());
    assertEquals(1, client.waiting());
    net.advance(Duration.ofMinutes(2));
    assertEquals(NetException.ERR_TIMEOUT, failure(stream.done()).code());
    assertEquals(0, client.waiting());
    assertEquals(0, server.inFlight());
    assertTrue(net.network.dropped() >= 2);
  }

  @Test
  void shouldExpireAnnouncementWhenNotRefreshedWithinTtl() {
    net.network.setAnnounceTtl(Duration.ofMinutes(5));
    TransportNetFacility a = net.peer();
    await(a.announce("t"));
    TransportNetFacility client = net.peer();
    net.network.failPeer(a.publicKey());
    net.advance(Duration.ofMinutes(4));
    assertEquals(1, await(client.lookup("t", false)).size());
    net.advance(Duration.ofMinutes(2));
    assertEquals(List.of(), await(client.lookup("t", false)));
  }

  @Test
  void shouldKeepAnnouncementAliveWhenRefreshedBeforeTtl() {
    net.network.setAnnounceTtl(Duration.ofMinutes(15));
    TransportNetFacility client = net.peer();
    TransportNetFacility a = net.peer("facs.net.announceInterval=\"10m\"");
    await(a.announce("t"));
    for (int i = 0; i < 5; i++) {
      net.advance(Duration.ofMinutes(10));
    }
    assertEquals(List.of(new PeerRef(a.publicKey())), await(client.lookup("t", false)));
    await(a.unannounce("t"));
    assertEquals(List.of(), await(client.lookup("t", false)));
  }

  @Test
  void shouldFailRequestsThenRecoverWhenPeerFailsAndComesBack() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    server.respond("ping", call -> TextNode.valueOf("pong"));
    net.network.failPeer(server.publicKey());
    assertFalse(net.network.isReachable(new PeerRef(server.publicKey())));
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, failure(client.request(server.publicKey(), "ping", null))
        .code());
    net.network.recoverPeer(server.publicKey());
    assertTrue(net.network.isReachable(new PeerRef(server.publicKey())));
    assertEquals("pong", await(client.request(server.publicKey(), "ping", null,
        RequestOptions.timeout(Duration.ofSeconds(1)))).asText());
  }

  @Test
  void shouldRefuseSecondFacilityWhenKeyIsAlreadyAttached() {
    var keys = Ed25519.generate();
    TransportNetFacility first = net.peer(keys);
    assertThrows(IllegalStateException.class, () -> net.peer(keys));
    assertEquals(1, net.network.attachedPeers().size());
    assertTrue(first.toString().startsWith("MemoryNetFacility["));
  }

  @Test
  void shouldDropEventsAndFramesQuietlyWhenPeerIsGone() {
    TransportNetFacility client = net.peer();
    client.event(new byte[32], "note", TextNode.valueOf("x"));
    assertEquals(NetException.ERR_PEER_UNAVAILABLE,
        failure(client.requestStream(new byte[32], "s", null, new RecordingListener()).done()).code());
    assertEquals(0, client.waiting());
  }
}
