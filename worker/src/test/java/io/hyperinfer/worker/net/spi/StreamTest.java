package io.hyperinfer.worker.net.spi;

import static io.hyperinfer.worker.net.spi.NetFixture.await;
import static io.hyperinfer.worker.net.spi.NetFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.RequestOptions;
import io.hyperinfer.worker.net.StreamCall;
import io.hyperinfer.worker.net.StreamHandler;
import io.hyperinfer.worker.net.StreamListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamTest {
  private final NetFixture<LoopbackNetwork> net = NetFixture.loopback(11);

  @AfterEach
  void tearDown() {
    net.close();
  }

  private static StreamHandler tokens(int n) {
    return (call, sink) -> {
      for (int i = 0; i < n; i++) {
        sink.next(TextNode.valueOf("t" + i));
      }
      sink.end(TextNode.valueOf("done"));
    };
  }

  @Test
  void shouldDeliverChunksInOrderThenEndWhenHandlerStreams() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    server.respondStream("generate", tokens(3));
    RecordingListener r = new RecordingListener();
    StreamCall call = client.requestStream(server.publicKey(), "generate", null, r);
    assertEquals("done", await(call.done()).asText());
    assertEquals(List.of("0:t0", "1:t1", "2:t2", "end:done"), r.events);
  }

  @Test
  void shouldEndWithNullWhenHandlerReturnsWithoutEnding() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    server.respondStream("quiet", (call, sink) -> sink.next(IntNode.valueOf(1)));
    RecordingListener r = new RecordingListener();
    assertTrue(await(client.requestStream(server.publicKey(), "quiet", null, r).done()).isNull());
    assertEquals(List.of("0:1", "end:null"), r.events);
  }

  @Test
  void shouldSendErrorFrameWhenHandlerFails() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    server.respondStream("fail", (call, sink) -> {
      sink.next(TextNode.valueOf("a"));
      throw new NetException("ERR_MODEL_GONE", "model unloaded");
    });
    RecordingListener r = new RecordingListener();
    NetException e = failure(client.requestStream(server.publicKey(), "fail", null, r).done());
    assertEquals("ERR_MODEL_GONE", e.code());
    assertEquals(List.of("0:a", "error:ERR_MODEL_GONE"), r.events);
  }

  @Test
  void shouldIgnoreWritesAfterTerminalFrameWhenHandlerKeepsWriting() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    CountDownLatch checked = new CountDownLatch(1);
    List<Boolean> accepted = new CopyOnWriteArrayList<>();
    server.respondStream("sloppy", (call, sink) -> {
      sink.error(NetException.badRequest("x"));
      accepted.add(sink.next(TextNode.valueOf("late")));
      sink.end(null);
      sink.error(NetException.internal());
      checked.countDown();
    });
    RecordingListener r = new RecordingListener();
    assertEquals(NetException.ERR_BAD_REQUEST,
        failure(client.requestStream(server.publicKey(), "sloppy", null, r).done()).code());
    try {
      assertTrue(checked.await(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertEquals(List.of(false), accepted);
    assertEquals(List.of("error:ERR_BAD_REQUEST"), r.events);
  }

  @Test
  void shouldCancelHandlerWhenCallerCancels() throws Exception {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch sawCancel = new CountDownLatch(1);
    server.respondStream("endless", (call, sink) -> {
      sink.next(TextNode.valueOf("first"));
      started.countDown();
      call.cancel().onCancel(sawCancel::countDown);
      assertTrue(sawCancel.await(5, TimeUnit.SECONDS));
      assertTrue(sink.isCancelled());
      assertFalse(sink.next(TextNode.valueOf("ignored")));
    });
    RecordingListener r = new RecordingListener();
    StreamCall call = client.requestStream(server.publicKey(), "endless", null, r);
    assertTrue(started.await(5, TimeUnit.SECONDS));
    call.cancel();
    call.cancel();
    assertTrue(sawCancel.await(5, TimeUnit.SECONDS));
    assertEquals(NetException.ERR_CANCELLED, failure(call.done()).code());
    assertEquals("error:ERR_CANCELLED", r.events.getLast());
  }

  @Test
  void shouldFailStreamWhenTimeoutPassesBeforeEnd() throws Exception {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    CountDownLatch cancelled = new CountDownLatch(1);
    server.respondStream("slow", (call, sink) -> {
      call.cancel().onCancel(cancelled::countDown);
      cancelled.await(5, TimeUnit.SECONDS);
    });
    RecordingListener r = new RecordingListener();
    StreamCall call = client.requestStream(server.publicKey(), "slow", null, r,
        RequestOptions.timeout(Duration.ofSeconds(1)));
    net.advance(Duration.ofSeconds(1));
    assertEquals(NetException.ERR_TIMEOUT, failure(call.done()).code());
    assertTrue(cancelled.await(5, TimeUnit.SECONDS));
  }

  @Test
  void shouldFailStreamWithConnectionLostWhenServerCrashes() throws Exception {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    CountDownLatch started = new CountDownLatch(1);
    server.respondStream("endless", (call, sink) -> {
      started.countDown();
      NetFixture.hang();
    });
    RecordingListener r = new RecordingListener();
    StreamCall call = client.requestStream(server.publicKey(), "endless", null, r);
    assertTrue(started.await(5, TimeUnit.SECONDS));
    net.network.crash(server.publicKey());
    assertEquals(NetException.ERR_CONNECTION_LOST, failure(call.done()).code());
  }

  @Test
  void shouldCancelStreamWhenListenerThrowsOnChunk() throws Exception {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    CountDownLatch cancelled = new CountDownLatch(1);
    server.respondStream("endless", (call, sink) -> {
      call.cancel().onCancel(cancelled::countDown);
      while (sink.next(TextNode.valueOf("x"))) {
        Thread.onSpinWait();
      }
    });
    List<String> errors = new CopyOnWriteArrayList<>();
    StreamCall call = client.requestStream(server.publicKey(), "endless", null, new StreamListener() {
      @Override
      public void onChunk(long seq, JsonNode chunk) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void onEnd(JsonNode last) {}

      @Override
      public void onError(NetException error) {
        errors.add(error.code());
      }
    });
    assertEquals(NetException.ERR_CANCELLED, failure(call.done()).code());
    assertTrue(cancelled.await(5, TimeUnit.SECONDS));
    assertEquals(List.of(NetException.ERR_CANCELLED), errors);
  }

  @Test
  void shouldFailWhenStreamAndUnaryMethodsAreMixedUpOrUnknown() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    server.respond("unary", c -> null);
    assertEquals(NetException.ERR_BAD_FRAME,
        failure(client.requestStream(server.publicKey(), "unary", null, new RecordingListener()).done()).code());
    server.respondStream("streaming", tokens(1));
    NetException plain = failure(client.request(server.publicKey(), "streaming", null));
    assertEquals(NetException.ERR_BAD_REQUEST, plain.code());
    assertTrue(plain.getMessage().contains("{stream, timeoutMs?, payload}"), plain.getMessage());
    assertEquals(NetException.ERR_UNKNOWN_METHOD,
        failure(client.requestStream(server.publicKey(), "none", null, new RecordingListener()).done()).code());
    assertEquals(NetException.ERR_PEER_UNAVAILABLE,
        failure(client.requestStream(new byte[32], "x", null, new RecordingListener()).done()).code());
  }

  @Test
  void shouldFailAtDefaultDeadlineAndForgetStreamWhenOptionsNameNone() throws Exception {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer("facs.net.streamTimeout=\"1m\"");
    CountDownLatch cancelled = new CountDownLatch(1);
    server.respondStream("silent", (call, sink) -> {
      call.cancel().onCancel(cancelled::countDown);
      cancelled.await(5, TimeUnit.SECONDS);
    });
    StreamCall call = client.requestStream(server.publicKey(), "silent", null, new RecordingListener());
    assertEquals(1, client.waiting());
    net.advance(Duration.ofSeconds(59));
    assertFalse(call.done().isDone());
    net.advance(Duration.ofSeconds(1));
    assertEquals(NetException.ERR_TIMEOUT, failure(call.done()).code());
    assertEquals(0, client.waiting());
    assertTrue(cancelled.await(5, TimeUnit.SECONDS));
  }

  @Test
  void shouldDropChunkWhenAnotherPeerForgesIt() throws Exception {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    TransportNetFacility forger = net.peer();
    CountDownLatch go = new CountDownLatch(1);
    server.respondStream("generate", (call, sink) -> {
      go.await(5, TimeUnit.SECONDS);
      tokens(2).handle(call, sink);
    });
    RecordingListener r = new RecordingListener();
    StreamCall call = client.requestStream(server.publicKey(), "generate", null, r);
    for (long id = 0; id < 4; id++) {
      forger.event(client.publicKey(), StreamFrames.CHUNK, new StreamFrame.Chunk(id, 0, TextNode.valueOf("forged"))
          .toJson());
    }
    forger.event(client.publicKey(), StreamFrames.CHUNK, TextNode.valueOf("garbage"));
    go.countDown();
    assertEquals("done", await(call.done()).asText());
    assertEquals(List.of("0:t0", "1:t1", "end:done"), r.events);
    assertEquals(5.0, net.registry.get("hyperinfer.net.dropped").tag("method", StreamFrames.CHUNK).counter().count());
  }
}
