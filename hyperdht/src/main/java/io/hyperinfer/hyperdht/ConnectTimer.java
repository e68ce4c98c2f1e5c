package io.hyperinfer.hyperdht;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The deadlines of connect attempts: one daemon thread for all, cancelled deadlines dropped at once. Thread-safe. */
final class ConnectTimer {
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private ConnectTimer() {}

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "hyperdht-connect-deadlines");
      t.setDaemon(true);
      return t;
    });
    pool.setRemoveOnCancelPolicy(true);
    return pool;
  }

  /** Runs {@code task} on a virtual thread after {@code delayMs}. */
  static ScheduledFuture<?> schedule(Runnable task, long delayMs) {
    return TIMER.schedule(() -> Thread.ofVirtual().start(task), delayMs, TimeUnit.MILLISECONDS);
  }
}
