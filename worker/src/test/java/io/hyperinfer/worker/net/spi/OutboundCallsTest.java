package io.hyperinfer.worker.net.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Replies that arrive on a transport's own (platform) loop thread, as SwarmTransport delivers them. */
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
