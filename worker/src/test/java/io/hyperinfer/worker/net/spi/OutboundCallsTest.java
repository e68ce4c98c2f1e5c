package io.hyperinfer.worker.net.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.metrics.RpcMetrics;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.StreamListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Replies that arrive on a transport's own (platform) loop thread, as SwarmTransport delivers them; a peer's loss and
 * the connection each call went out on.
 */
class OutboundCallsTest {
  private static final PeerRef PEER = new PeerRef(new byte[32]);

  /** Answers every request from a platform thread of its own, as a UDX loop would. */
  private static final class LoopTransport implements Transport {
    @Override
    public void open(KeyPair identity, Inbound inbound) {}

    @Override
    public void request(PeerRef to, String method, byte[] payload, Duration timeout, Reply reply) {
      Thread.ofPlatform().name("fake-loop").start(() -> {
        if (method.equals("stream")) {
          long id = StreamFrames.open(payload).stream();
          reply.onResponse(StreamFrames.encode(new StreamFrame.End(id, 0, TextNode.valueOf("last"))));
        } else if (method.equals("fail")) {
          reply.onError(NetException.connectionLost(to.hex()));
        } else {
          reply.onResponse("\"pong\"".getBytes());
        }
      });
    }

    @Override
    public void event(PeerRef to, String method, byte[] payload) {}

    @Override
    public void close() {}
  }

  private final OutboundCalls calls = new OutboundCalls(new LoopTransport(), Scheduler.system(),
      new RpcMetrics(new SimpleMeterRegistry()));

  @Test
  void shouldCompleteRequestOnTheLoopWhenReplyArrivesThere() throws Exception {
    CompletableFuture<JsonNode> reply = calls.request(PEER, "ping", TextNode.valueOf("x"), Duration.ofSeconds(10));
    assertEquals(TextNode.valueOf("pong"), reply.get(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldRunStreamListenerOnVirtualThreadWhenEndArrivesOnLoop() throws Exception {
    CompletableFuture<Boolean> endedVirtual = new CompletableFuture<>();
    CompletableFuture<Boolean> failedVirtual = new CompletableFuture<>();
    calls.stream(PEER, "stream", TextNode.valueOf("x"), listener(endedVirtual), Duration.ofSeconds(10));
    calls.stream(PEER, "fail", TextNode.valueOf("x"), listener(failedVirtual), Duration.ofSeconds(10));
    assertTrue(endedVirtual.get(10, TimeUnit.SECONDS), "onEnd ran on the loop thread");
    assertTrue(failedVirtual.get(10, TimeUnit.SECONDS), "onError ran on the loop thread");
    assertFalse(Thread.currentThread().isVirtual());
  }

  /** Holds every request's reply for the test to settle, as a transport whose replies have not come yet. */
  private static final class HeldTransport implements Transport {
    final List<Reply> replies = new CopyOnWriteArrayList<>();
    final List<byte[]> payloads = new CopyOnWriteArrayList<>();

    @Override
    public void open(KeyPair identity, Inbound inbound) {}

    @Override
    public void request(PeerRef to, String method, byte[] payload, Duration timeout, Reply reply) {
      payloads.add(payload);
      replies.add(reply);
    }

    @Override
    public void event(PeerRef to, String method, byte[] payload) {}

    @Override
    public void close() {}
  }

  private final HeldTransport held = new HeldTransport();
  private final OutboundCalls heldCalls = new OutboundCalls(held, Scheduler.system(),
      new RpcMetrics(new SimpleMeterRegistry()));
  /** The peer's old connection (its process killed and restarted with its key) and its new one. */
  private final AtomicBoolean oldOpen = new AtomicBoolean(false);
  private final AtomicBoolean newOpen = new AtomicBoolean(true);

  @Test
  void shouldKeepCallsOnAnOpenConnectionWhenTheirPeerIsReportedLost() throws Exception {
    CompletableFuture<JsonNode> onOld = heldCall(oldOpen);
    CompletableFuture<JsonNode> untold = heldCalls.request(PEER, "ping", null, Duration.ofSeconds(30));
    CompletableFuture<JsonNode> onNew = heldCall(newOpen);
    CompletableFuture<String> streamOnNew = new CompletableFuture<>();
    heldCalls.stream(PEER, "stream", null, ending(streamOnNew), Duration.ofSeconds(30));
    Transport.Reply streamReply = held.replies.getLast();
    long streamId = StreamFrames.open(held.payloads.getLast()).stream();
    streamReply.onSent(newOpen::get);
    // the old connection's loss, reported on its own thread after the new one carried the calls
    assertTrue(heldCalls.lost(PEER));
    assertEquals(NetException.ERR_CONNECTION_LOST, code(onOld));
    assertEquals(NetException.ERR_CONNECTION_LOST, code(untold), "a transport that cannot tell fails them all");
    assertFalse(onNew.isDone());
    assertFalse(streamOnNew.isDone());
    held.replies.get(2).onResponse("\"pong\"".getBytes());
    assertEquals(TextNode.valueOf("pong"), onNew.get(10, TimeUnit.SECONDS));
    streamReply.onResponse(StreamFrames.encode(new StreamFrame.End(streamId, 0, TextNode.valueOf("last"))));
    assertEquals("end \"last\"", streamOnNew.get(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldFailASparedCallWhenItsOwnConnectionIsLostLater() throws Exception {
    CompletableFuture<JsonNode> onNew = heldCall(newOpen);
    CompletableFuture<String> streamOnNew = new CompletableFuture<>();
    heldCalls.stream(PEER, "stream", null, ending(streamOnNew), Duration.ofSeconds(30));
    held.replies.getLast().onSent(newOpen::get);
    heldCalls.lost(PEER);
    assertFalse(onNew.isDone());
    newOpen.set(false);
    heldCalls.lost(PEER); // the new connection's own loss: nothing waits for its timeout
    assertEquals(NetException.ERR_CONNECTION_LOST, code(onNew));
    assertEquals(NetException.ERR_CONNECTION_LOST, streamOnNew.get(10, TimeUnit.SECONDS));
    assertEquals(0, heldCalls.waiting());
  }

  @Test
  void shouldForgetAndMeterACallWhenItsCallerCancelsIt() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OutboundCalls counted = new OutboundCalls(held, Scheduler.system(), new RpcMetrics(registry));
    CompletableFuture<JsonNode> call = counted.request(PEER, "slow", null, Duration.ofSeconds(30));
    assertEquals(1, counted.waiting());
    call.cancel(false);
    assertEquals(0, counted.waiting());
    assertEquals(1, registry.get(RpcMetrics.CLIENT).tag("method", "slow").timer().count());
    held.replies.getLast().onResponse("\"late\"".getBytes()); // the late reply finds nothing to settle
    assertTrue(call.isCancelled());
  }

  @Test
  void shouldFailWithBadFrameWhenTheReplyIsNotJson() {
    CompletableFuture<JsonNode> call = heldCalls.request(PEER, "ping", null, Duration.ofSeconds(30));
    held.replies.getLast().onResponse("{not json".getBytes());
    assertEquals(NetException.ERR_BAD_FRAME, code(call));
  }

  @Test
  void shouldFailAStreamWhenItsEndNamesAnotherStream() throws Exception {
    CompletableFuture<String> how = new CompletableFuture<>();
    heldCalls.stream(PEER, "stream", null, ending(how), Duration.ofSeconds(30));
    long id = StreamFrames.open(held.payloads.getLast()).stream();
    held.replies.getLast().onResponse(StreamFrames.encode(new StreamFrame.End(id + 1, 0, TextNode.valueOf("x"))));
    assertEquals(NetException.ERR_BAD_FRAME, how.get(10, TimeUnit.SECONDS));
  }

  /** A call the transport reports sent on the connection that {@code open} stands for. */
  private CompletableFuture<JsonNode> heldCall(AtomicBoolean open) {
    CompletableFuture<JsonNode> call = heldCalls.request(PEER, "ping", null, Duration.ofSeconds(30));
    held.replies.getLast().onSent(open::get);
    return call;
  }

  /** Completes with how the stream ended: "end" and its last value, or its error's code. */
  private static StreamListener ending(CompletableFuture<String> how) {
    return new StreamListener() {
      @Override
      public void onChunk(long seq, JsonNode chunk) {
        how.complete("chunk " + chunk);
      }

      @Override
      public void onEnd(JsonNode last) {
        how.complete("end " + last);
      }

      @Override
      public void onError(NetException error) {
        how.complete(error.code());
      }
    };
  }

  private static String code(CompletableFuture<JsonNode> call) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
    return NetException.of(e.getCause()).code();
  }

  private static StreamListener listener(CompletableFuture<Boolean> onVirtual) {
    return new StreamListener() {
      @Override
      public void onChunk(long seq, JsonNode chunk) {
        onVirtual.completeExceptionally(new AssertionError("no chunk was sent"));
      }

      @Override
      public void onEnd(JsonNode last) {
        onVirtual.complete(Thread.currentThread().isVirtual() && last.equals(TextNode.valueOf("last")));
      }

      @Override
      public void onError(NetException error) {
        onVirtual.complete(Thread.currentThread().isVirtual());
      }
    };
  }
}
