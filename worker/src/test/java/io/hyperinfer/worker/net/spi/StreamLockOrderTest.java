package io.hyperinfer.worker.net.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.metrics.RpcMetrics;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stream's frames against the connection's lock, as on UDX: the connection thread holds the protomux lock while it
 * delivers a cancel, and every frame a stream sends takes that lock. Latches force the interleaving that once
 * deadlocked (a frame on its way out while the connection thread, lock held, ends the same stream). A regression
 * deadlocks the threads for good, so each test runs apart and is abandoned at its timeout.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamLockOrderTest {
  private static final PeerRef CALLER = PeerRef.ofHex("cc".repeat(32));
  private static final byte[] CANCEL_3 = "{\"stream\":3}".getBytes(StandardCharsets.UTF_8);

  private final InboundCalls calls = new InboundCalls(new ManualScheduler(new ManualClock()));
  private final CountDownLatch release = new CountDownLatch(1);

  StreamLockOrderTest() {
    calls.open(new WorkerContext("test", "test", "1"), new RpcMetrics(new SimpleMeterRegistry()),
        NetSettings.DEFAULT, new RequestLog(false));
  }

  @AfterEach
  void releaseHandlers() {
    release.countDown();
    calls.close();
  }

  @Test
  void shouldEndStreamOnceWithoutDeadlockWhenStopMeetsCancelHeldUnderMuxLock() throws Exception {
    calls.respondStream("endless", (call, sink) -> release.await(5, TimeUnit.SECONDS));
    MuxExchange ex = new MuxExchange();
    calls.dispatch(ex);
    // The stopping thread: its Failed frame waits, on its way to the mux, until the connection thread holds the mux.
    CompletableFuture<Void> stopped = CompletableFuture.runAsync(calls::close, Thread.ofPlatform().daemon()::start);
    CompletableFuture<Void> loop = ex.connectionThread(() -> calls.cancel(CALLER, CANCEL_3));
    loop.get(5, TimeUnit.SECONDS);
    stopped.get(5, TimeUnit.SECONDS);
    assertEquals(List.of("fail " + NetException.ERR_PEER_UNAVAILABLE), ex.sent);
  }

  @Test
  void shouldSendChunkThenCancelledWithoutDeadlockWhenCancelArrivesWhileChunkIsSent() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    calls.respondStream("endless", (call, sink) -> {
      call.cancel().onCancel(cancelled::countDown);
      sink.next(TextNode.valueOf("t0"));
      release.await(5, TimeUnit.SECONDS);
    });
    MuxExchange ex = new MuxExchange();
    calls.dispatch(ex);
    // The handler's chunk waits, on its way to the mux, until the connection thread holds the mux and cancels.
    ex.connectionThread(() -> calls.cancel(CALLER, CANCEL_3)).get(5, TimeUnit.SECONDS);
    assertTrue(cancelled.await(5, TimeUnit.SECONDS));
    ex.outcome.get(5, TimeUnit.SECONDS);
    assertEquals(List.of("event stream.chunk {\"stream\":3,\"seq\":0,\"data\":\"t0\"}",
        "fail " + NetException.ERR_CANCELLED), ex.sent);
  }

  /**
   * A stream open whose replies take a lock as RpcSession takes the mux. The first frame sent stops before that lock
   * until {@link #connectionThread} holds it, then goes on.
   */
  private static final class MuxExchange implements Transport.Exchange {
    final List<String> sent = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> outcome = new CompletableFuture<>();
    private final Object mux = new Object();
    private final CountDownLatch firstFrameSending = new CountDownLatch(1);
    private final CountDownLatch muxHeld = new CountDownLatch(1);

    /** Runs {@code work} holding the mux, as the connection thread does, once the first frame is on its way. */
    CompletableFuture<Void> connectionThread(Runnable work) {
      return CompletableFuture.runAsync(() -> {
        await(firstFrameSending);
        synchronized (mux) {
          muxHeld.countDown();
          work.run();
        }
      }, Thread.ofPlatform().daemon().name("udx-loop-test")::start);
    }

    @Override
    public PeerRef remote() {
      return CALLER;
    }

    @Override
    public String method() {
      return "endless";
    }

    @Override
    public byte[] payload() {
      return CANCEL_3.clone();
    }

    @Override
    public void respond(byte[] value) {
      send("respond " + Json.parse(value));
    }

    @Override
    public void fail(NetException error) {
      send("fail " + error.code());
    }

    @Override
    public void event(String eventMethod, byte[] value) {
      send("event " + eventMethod + " " + Json.parse(value));
    }

    private void send(String frame) {
      firstFrameSending.countDown();
      await(muxHeld);
      synchronized (mux) {
        sent.add(frame);
        if (!frame.startsWith("event ")) {
          outcome.complete(null);
        }
      }
    }

    private static void await(CountDownLatch latch) {
      try {
        assertTrue(latch.await(5, TimeUnit.SECONDS), "latch");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
