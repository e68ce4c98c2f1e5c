package io.hyperinfer.worker.testkit;

import io.hyperinfer.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts workers for a test and stops them all afterwards: create one per test, call {@link #start(Worker)} and
 * {@link #stopAll()} in {@code @AfterEach}. Start waits for readiness with a timeout (the seed's waitForWorkerReady).
 * Not thread-safe: use from the test thread.
 */
public final class TestWorkers {
  /** Default time a worker gets to become ready. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(5);

  private final List<Worker> started = new ArrayList<>();
  private final Duration readyTimeout;

  /** Workers that get {@link #READY_TIMEOUT} to become ready. */
  public TestWorkers() {
    this(READY_TIMEOUT);
  }

  /** Workers that get {@code readyTimeout} to become ready: a tier's {@link TestConfigs#workerStart}. */
  public TestWorkers(Duration readyTimeout) {
    this.readyTimeout = readyTimeout;
  }

  /** Starts {@code worker} and waits until it is ready; fails with the worker's own start error. */
  public <W extends Worker> W start(W worker) {
    return start(worker, readyTimeout);
  }

  public <W extends Worker> W start(W worker, Duration timeout) {
    started.add(worker);
    worker.start();
    awaitReady(worker, timeout);
    return worker;
  }

  /** Waits until {@code worker} is ready; AssertionError naming the worker on timeout or failed start. */
  public static void awaitReady(Worker worker, Duration timeout) {
    try {
      worker.ready().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("worker " + worker.ctx().label() + " not ready within " + timeout + " (state "
          + worker.state() + ")");
    } catch (ExecutionException e) {
      throw new AssertionError("worker " + worker.ctx().label() + " failed to start: " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + worker.ctx().label(), e);
    }
  }

  /** Stops one worker and waits for it. */
  public void stop(Worker worker) {
    started.remove(worker);
    join(worker);
  }

  /** Stops every worker started here, newest first, waiting for each. */
  public void stopAll() {
    for (int i = started.size() - 1; i >= 0; i--) {
      join(started.get(i));
    }
    started.clear();
  }

  private static void join(Worker worker) {
    try {
      worker.stop().get(10, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new AssertionError("worker " + worker.ctx().label() + " did not stop cleanly", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while stopping " + worker.ctx().label(), e);
    }
  }
}
