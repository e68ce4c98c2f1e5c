package io.hyperinfer.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.Carriers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HashingThreadsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void shouldLeaveEveryCarrierFreeWhileHashesRunWhenTheCallersAreVirtual() throws Exception {
    HashingThreads threads = new HashingThreads(Carriers.count());
    AtomicBoolean freshRan = new AtomicBoolean();
    // Each "hash" spins, never parking, until a fresh virtual thread has run. Run on their callers' carriers, with
    // every carrier held by one, that thread could not run and each would give up after its limit.
    List<CompletableFuture<Boolean>> calls = Carriers.onEveryCarrier(
        () -> threads.run(() -> Carriers.spinUntil(freshRan, 10_000)));
    Thread.ofVirtual().start(() -> freshRan.set(true));
    for (CompletableFuture<Boolean> call : calls) {
      assertTrue(call.get(30, TimeUnit.SECONDS), "a fresh virtual thread ran while every hash was running");
    }
  }

  @Test
  void shouldRunAtMostItsThreadsAtOnceWhenMoreHashesArrive() throws Exception {
    HashingThreads threads = new HashingThreads(2);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    List<CompletableFuture<Integer>> calls = Carriers.onVirtualThreads(5, () -> threads.run(() -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      await().atMost(WAIT).until(() -> release.getCount() == 0);
      running.decrementAndGet();
      return 1;
    }));

    await().atMost(WAIT).until(() -> running.get() == 2 && threads.waiting() == 3);
    release.countDown();
    assertEquals(5, calls.stream().mapToInt(CompletableFuture::join).sum());
    assertEquals(2, most.get(), "hashes running at once");
  }

  @Test
  void shouldThrowTheHashsOwnExceptionWhenItFails() {
    HashingThreads threads = new HashingThreads(1);
    IllegalArgumentException bad = new IllegalArgumentException("bad hash string");
    OutOfMemoryError oom = new OutOfMemoryError("no room for Argon2id");

    assertSame(bad, assertThrows(IllegalArgumentException.class, () -> threads.run(() -> { throw bad; })));
    assertSame(oom, assertThrows(OutOfMemoryError.class, () -> threads.run(() -> { throw oom; })));
  }

  @Test
  void shouldFinishTheHashAndKeepTheInterruptWhenTheCallerIsInterruptedWhileWaiting() throws Exception {
    HashingThreads threads = new HashingThreads(1);
    CountDownLatch hashing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> outcome = new CompletableFuture<>();
    Thread caller = Thread.ofVirtual().start(() -> {
      String result = threads.run(() -> {
        hashing.countDown();
        await().atMost(WAIT).until(() -> release.getCount() == 0);
        return "hash";
      });
      outcome.complete(result + (Thread.currentThread().isInterrupted() ? " interrupted" : ""));
    });
    assertTrue(hashing.await(30, TimeUnit.SECONDS));

    caller.interrupt();
    assertFalse(outcome.isDone(), "the caller still waits for its hash");
    release.countDown();

    assertEquals("hash interrupted", outcome.get(30, TimeUnit.SECONDS));
  }

  @Test
  void shouldRefuseNoThreadsWhenBuilt() {
    assertThrows(IllegalArgumentException.class, () -> new HashingThreads(0));
  }
}
