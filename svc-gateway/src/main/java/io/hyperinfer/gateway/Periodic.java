package io.hyperinfer.gateway;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A round of work run every {@code interval} (the first at once) on one daemon thread of its own: the gateway's
 * processor status polls and its copy of Auth's session revocations. A round that fails changes nothing; the next one
 * tries again. Thread-safe.
 */
final class Periodic implements AutoCloseable {
  private final ScheduledExecutorService timer;

  private Periodic(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  static Periodic start(String threadName, Duration interval, Runnable round) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        round.run();
      } catch (RuntimeException e) {
        // this round is lost; the next one tries again
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return new Periodic(timer);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
