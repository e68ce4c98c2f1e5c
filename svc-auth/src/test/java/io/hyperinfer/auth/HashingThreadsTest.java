package io.hyperinfer.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class HashingThreadsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** The virtual-thread scheduler's carriers: as many as cores unless the JVM was told otherwise. */
  private static int carriers() {
    return Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
  }

  /** Runs {@code task} on {@code n} virtual threads and returns once each has begun. */
  private static <T> List<CompletableFuture<T>> onVirtualThreads(int n, Supplier<T> task) throws Exception {
    CountDownLatch started = new CountDownLatch(n);
    List<CompletableFuture<T>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CompletableFuture<T> done = new CompletableFuture<>();
      calls.add(done);
      Thread.ofVirtual().start(() -> {
        started.countDown();
        try {
          done.complete(task.get());
        } catch (RuntimeException | Error e) {
          done.completeExceptionally(e);
        }
      });
    }
    assertTrue(started.await(30, TimeUnit.SECONDS), "the virtual threads started");
    return calls;
  }

  @Test
  void shouldLeaveEveryCarrierFreeWhileHashesRunWhenTheCallersAreVirtual() throws Exception {
    HashingThreads threads = new HashingThreads(carriers());
    AtomicBoolean freshRan = new AtomicBoolean();
    // Each "hash" spins, never parking, until a fresh virtual thread has run. Run on their callers' carriers, with
    // every carrier held by one, that thread could not run and each would give up after its limit.
    List<CompletableFuture<Boolean>> calls = onVirtualThreads(carriers(),
        () -> threads.run(() -> spinUntil(freshRan, 10_000)));
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
    List<CompletableFuture<Integer>> calls = onVirtualThreads(5, () -> threads.run(() -> {
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

  private static boolean spinUntil(AtomicBoolean flag, long limitMs) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMs);
    while (!flag.get()) {
      if (System.nanoTime() - end > 0) {
        return false;
      }
      Thread.onSpinWait();
    }
    return true;
  }
}
