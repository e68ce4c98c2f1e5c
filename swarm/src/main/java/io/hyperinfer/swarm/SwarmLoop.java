package io.hyperinfer.swarm;

import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The one thread that owns a swarm's state: every event is a task on it, timers are its delayed tasks, and a task that
 * throws is counted and dropped (it never stops the loop). Thread-safe entry points.
 */
final class SwarmLoop implements AutoCloseable {
  private final ScheduledExecutorService executor;
  private final InstantSource clock;
  private final AtomicLong errors = new AtomicLong();
  private volatile Thread thread;

  SwarmLoop(String name, InstantSource clock) {
    this.clock = clock;
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = Thread.ofPlatform().daemon().name(name).unstarted(r);
      thread = t;
      return t;
    });
    e.setRemoveOnCancelPolicy(true);
    e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.executor = e;
  }

  long nowMs() {
    return clock.millis();
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  void execute(Runnable task) {
    if (executor.isShutdown()) {
      return;
    }
    executor.execute(() -> runGuarded(task));
  }

  /** Runs {@code task} on the loop and completes with its result (or its failure). */
  <T> CompletableFuture<T> call(Supplier<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    if (executor.isShutdown()) {
      f.completeExceptionally(new SwarmException(SwarmException.Code.DESTROYED, "the swarm is closed"));
      return f;
    }
    executor.execute(() -> {
      try {
        f.complete(task.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  ScheduledFuture<?> schedule(Runnable task, long delayMs) {
    return executor.schedule(() -> runGuarded(task), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
  }

  private void runGuarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      errors.incrementAndGet();
    }
  }

  long errors() {
    return errors.get();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
