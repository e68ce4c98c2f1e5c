package io.hyperinfer.worker.net.spi;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs delayed work (timeouts, latency, re-announce). The seam that lets tests drive time: the system scheduler uses
 * real time, {@link ManualScheduler} runs tasks only when a test moves its clock. Thread-safe.
 */
public interface Scheduler {
  /** The clock the scheduler's delays are measured against. */
  Clock clock();

  /** Runs {@code task} after {@code delay}; the returned handle cancels it if it has not run. */
  Runnable schedule(Duration delay, Runnable task);

  /** Real time: one daemon platform thread fires tasks and hands each to a virtual thread. */
  static Scheduler system() {
    return SystemScheduler.INSTANCE;
  }

  /** The scheduler behind {@link #system()}. */
  final class SystemScheduler implements Scheduler {
    static final SystemScheduler INSTANCE = new SystemScheduler();

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hyperinfer-scheduler");
      t.setDaemon(true);
      return t;
    });

    private SystemScheduler() {}

    @Override
    public Clock clock() {
      return Clock.systemUTC();
    }

    @Override
    public Runnable schedule(Duration delay, Runnable task) {
      ScheduledFuture<?> f = timer.schedule(() -> Thread.ofVirtual().start(task), Math.max(0, delay.toNanos()),
          TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    }
  }
}
