package io.hyperinfer.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Tests that a call leaves the virtual-thread scheduler's carriers free: hold every carrier with a call that spins
 * until a fresh virtual thread has run. Run in place on its carrier, such a call would give up instead. Stateless.
 */
public final class Carriers {
  private Carriers() {}

  /** The virtual-thread scheduler's carriers: as many as cores unless the JVM was told otherwise. */
  public static int count() {
    return Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
  }

  /**
   * Runs {@code task} on {@link #count()} virtual threads at once and returns when every one has begun: none has
   * parked since, so each holds a carrier until {@code task} parks or ends.
   */
  public static <T> List<CompletableFuture<T>> onEveryCarrier(Supplier<T> task) throws InterruptedException {
    return onVirtualThreads(count(), task);
  }

  /** Runs {@code task} on {@code n} virtual threads and returns when every one has begun. */
  public static <T> List<CompletableFuture<T>> onVirtualThreads(int n, Supplier<T> task) throws InterruptedException {
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
    if (!started.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the virtual threads did not start");
    }
    return calls;
  }

  /** Spins, never parking, until {@code flag} is set (true) or {@code limitMs} has passed (false). */
  public static boolean spinUntil(AtomicBoolean flag, long limitMs) {
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
