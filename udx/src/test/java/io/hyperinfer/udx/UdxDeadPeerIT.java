package io.hyperinfer.udx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer whose socket closes without END or DESTROY (a killed process): the surviving stream keeps retransmitting
 * on the loop's timers and fails with ETIMEDOUT after libudx's budget, {@code rto + 12 * max(rto, 1 s)}, on a clock
 * the test moves. A twin on the real clock waited the whole 12.2 s to prove the same; the loop's timers on the real
 * clock are proven by retransmission through a lossy relay against libudx ({@code LossyRelayInteropIT}).
 */
@Timeout(60)
class UdxDeadPeerIT {
  private static final long MS = 1_000_000L;

  private static UdxException failure(CompletableFuture<Void> closed, long seconds) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class, () -> closed.get(seconds, TimeUnit.SECONDS));
    return assertInstanceOf(UdxException.class, e.getCause());
  }

  /**
   * The loop's timers on a clock the test moves in 10 ms steps: every RTO is re-armed with the loop and fires, and
   * the stream fails exactly 13 s (its RTO of 1 s, then six retries 2 s apart) after the write nobody acks.
   */
  @Test
  void shouldFailWithEtimedoutOnVirtualTimeWhenPeerSocketClosesAbruptly() throws Exception {
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    try (Udx udx = Udx.create(clock::get)) {
      UdxSocket a = udx.createSocket().bind();
      UdxSocket b = udx.createSocket().bind();
      UdxStream survivor = udx.createStream();
      UdxStream victim = udx.createStream();
      survivor.connect(a, victim.id(), b.localAddress());
      victim.connect(b, survivor.id(), a.localAddress());
      survivor.write("ping".getBytes());
      assertArrayEquals("ping".getBytes(), victim.read()); // its ack waits for virtual time, which stands still
      b.close();
      AtomicLong failedAt = new AtomicLong();
      CompletableFuture<Void> closed = survivor.closed().whenComplete((v, e) -> failedAt.set(clock.get()));
      long writtenAt = clock.get();

      while (!closed.isDone() && clock.get() - writtenAt < 30_000 * MS) {
        settle(udx.loop(), clock.addAndGet(10 * MS));
      }

      UdxException error = failure(closed, 1);
      assertEquals(UdxException.Code.ETIMEDOUT, error.code());
      assertEquals(13_000 * MS, failedAt.get() - writtenAt);
      assertTrue(survivor.stats().contains(" rto=6 "), survivor.stats());
      UdxException seen = assertThrows(UdxException.class, survivor::read); // what a blocked reader learns
      assertEquals(UdxException.Code.ETIMEDOUT, seen.code());
    }
  }

  /**
   * Returns once the loop ran every timer due at {@code nowNs}: a marker timer at that deadline fires after all of
   * them, in the first cycle that reads the moved clock.
   */
  private static void settle(UdxLoop loop, long nowNs) throws Exception {
    CompletableFuture<Void> fired = new CompletableFuture<>();
    loop.execute(() -> loop.timers.schedule(nowNs, () -> fired.complete(null)));
    fired.get(5, TimeUnit.SECONDS);
  }
}
