package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.rpc.HyperswarmRpc;
import io.hyperinfer.rpc.HyperswarmRpcOptions;
import io.hyperinfer.rpc.RpcConnection;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.RequestOptions;
import io.hyperinfer.worker.net.StreamCall;
import io.hyperinfer.worker.net.StreamListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the real stack adds to the net contract: a key must be proven by the Noise handshake to pass the firewall,
 * cancel and connection loss cross a real connection, and a peer restarted with its key is reached again.
 */
@Timeout(120)
class SwarmNetFacilityIT extends OnTestnet {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void shouldRefuseCallerWhenItClaimsAnAllowedKeyItCannotProve() throws Exception {
    KeyPair friend = Ed25519.generate();
    SwarmNetFacility server = peers.start(Ed25519.generate());
    AtomicInteger handled = new AtomicInteger();
    server.respond("echo", call -> {
      handled.incrementAndGet();
      return call.payload();
    });
    server.allowOnly(Set.of(friend.publicKeyHex()));
    // The friend's public key with someone else's secret: the handshake cannot prove it.
    KeyPair forged = new KeyPair(friend.publicKey(), Ed25519.generate().secretKey());
    HyperDht node = net.createNode();
    // its handshakes go unanswered: 4 sends of 200 ms per relay, not dht-rpc's 4 of 1 s
    try (HyperswarmRpc impostor = new HyperswarmRpc(node, HyperswarmRpcOptions.DEFAULT.withKeyPair(forged)
        .withConnect(HyperswarmRpcOptions.DEFAULT.connect().withHandshakeTimeout(Duration.ofMillis(200))))) {
      CompletableFuture<byte[]> reply = impostor.request(server.publicKey(), "echo",
          "\"hi\"".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
      assertThrows(ExecutionException.class, () -> reply.get(30, TimeUnit.SECONDS));
    } finally {
      node.close();
    }
    assertEquals(0, handled.get(), "no call reached the handler");
    SwarmNetFacility real = peers.start(friend);
    assertEquals(TextNode.valueOf("hi"), real.request(server.publicKey(), "echo", TextNode.valueOf("hi"))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS));
    SwarmNetFacility stranger = peers.start(Ed25519.generate());
    assertEquals(NetException.ERR_FORBIDDEN, failure(stranger.request(server.publicKey(), "echo",
        Json.object().put("from", friend.publicKeyHex()))).code());
    assertEquals(1, handled.get());
  }

  @Test
  void shouldStopHandlerAndKeepConnectionWhenCallerCancelsStream() throws Exception {
    SwarmNetFacility server = peers.start(Ed25519.generate());
    SwarmNetFacility client = peers.start(Ed25519.generate());
    CountDownLatch cancelled = new CountDownLatch(1);
    server.respond("ping", call -> TextNode.valueOf("pong"));
    server.respondStream("count", (call, sink) -> {
      call.cancel().onCancel(cancelled::countDown);
      sink.next(IntNode.valueOf(0));
      sink.next(IntNode.valueOf(1));
      // streaming on until the caller's cancel arrives, which is what this test waits for
      cancelled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    });
    CountDownLatch twoChunks = new CountDownLatch(2);
    StreamCall call = client.requestStream(server.publicKey(), "count", null, chunks(twoChunks));
    assertTrue(twoChunks.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    call.cancel();
    assertEquals(NetException.ERR_CANCELLED, failure(call.done()).code());
    assertTrue(cancelled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the cancel frame reached the handler");
    assertEquals(TextNode.valueOf("pong"), client.request(server.publicKey(), "ping", null)
        .get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(1, client.connectedPeers(), "the same connection carried on");
  }

  @Test
  void shouldCancelStreamOnBothSidesWhenConnectionIsDropped() throws Exception {
    SwarmNetFacility server = peers.start(Ed25519.generate());
    SwarmNetFacility client = peers.start(Ed25519.generate());
    CountDownLatch streaming = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    server.respondStream("endless", (call, sink) -> {
      call.cancel().onCancel(cancelled::countDown);
      sink.next(IntNode.valueOf(0));
      cancelled.await(60, TimeUnit.SECONDS);
    });
    CompletableFuture<PeerRef> lost = new CompletableFuture<>();
    client.addConnectionListener(lost::complete);
    StreamCall call = client.requestStream(server.publicKey(), "endless", null, chunks(streaming));
    assertTrue(streaming.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    server.node().server().connections().forEach(RpcConnection::destroy);
    assertEquals(NetException.ERR_CONNECTION_LOST, failure(call.done()).code());
    assertTrue(cancelled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the generation stopped");
    assertEquals(new PeerRef(server.publicKey()), lost.get(WAIT.toSeconds(), TimeUnit.SECONDS));
  }

  @Test
  void shouldReachPeerAgainWhenItRestartsWithTheSameKey() throws Exception {
    KeyPair keys = Ed25519.generate();
    SwarmNetFacility first = peers.start(keys);
    first.respond("who", call -> TextNode.valueOf("first"));
    first.announce("restarting").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    SwarmNetFacility client = peers.start(Ed25519.generate());
    assertEquals(TextNode.valueOf("first"), client.topicRequest("restarting", "who", null)
        .get(WAIT.toSeconds(), TimeUnit.SECONDS));
    first.stop();
    SwarmNetFacility second = peers.start(keys);
    second.respond("who", call -> TextNode.valueOf("second"));
    second.announce("restarting").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(TextNode.valueOf("second"), client.request(keys.publicKey(), "who", null,
        RequestOptions.timeout(Duration.ofSeconds(20))).get(30, TimeUnit.SECONDS));
    assertEquals(TextNode.valueOf("second"), client.topicRequest("restarting", "who", null)
        .get(WAIT.toSeconds(), TimeUnit.SECONDS));
  }

  @Test
  void shouldReadAbsentValueAsNullWhenPlainClientSendsNone() throws Exception {
    SwarmNetFacility server = peers.start(Ed25519.generate());
    server.respond("kind", call -> TextNode.valueOf(call.payload().getNodeType().name()));
    HyperDht node = net.createNode();
    try (HyperswarmRpc plain = new HyperswarmRpc(node, HyperswarmRpcOptions.DEFAULT.withKeyPair(Ed25519.generate()))) {
      byte[] reply = plain.request(server.publicKey(), "kind", null, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals("\"NULL\"", new String(reply, StandardCharsets.UTF_8));
    } finally {
      node.close();
    }
  }

  @Test
  void shouldFailStreamWithBadFrameWhenChunkIsTooLargeForOneFrame() throws Exception {
    SwarmNetFacility server = peers.start(Ed25519.generate());
    SwarmNetFacility client = peers.start(Ed25519.generate());
    server.respond("ping", call -> TextNode.valueOf("pong"));
    server.respondStream("huge", (call, sink) -> sink.next(TextNode.valueOf("x".repeat(17 << 20))));
    StreamCall call = client.requestStream(server.publicKey(), "huge", null, chunks(new CountDownLatch(1)));
    assertEquals(NetException.ERR_BAD_FRAME, failure(call.done()).code());
    assertEquals(TextNode.valueOf("pong"), client.request(server.publicKey(), "ping", null)
        .get(WAIT.toSeconds(), TimeUnit.SECONDS), "the connection stays usable");
  }

  private static StreamListener chunks(CountDownLatch seen) {
    return new StreamListener() {
      @Override
      public void onChunk(long seq, JsonNode chunk) {
        seen.countDown();
      }

      @Override
      public void onEnd(JsonNode last) {}

      @Override
      public void onError(NetException error) {}
    };
  }

  private static NetException failure(CompletableFuture<?> f) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    return assertInstanceOf(NetException.class, e.getCause());
  }
}
