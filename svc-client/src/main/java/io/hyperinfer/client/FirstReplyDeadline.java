package io.hyperinfer.client;

import io.hyperinfer.worker.net.spi.Scheduler;
import java.time.Duration;

/**
 * How long a call waits for a gateway's first frame or reply before it is abandoned for another gateway
 * ({@code client.firstReplyTimeout}; zero turns it off), on a {@link Scheduler} so tests drive time. Counts the
 * attempts it abandoned. Thread-safe.
 */
final class FirstReplyDeadline {
  private final Scheduler scheduler;
  private final Duration timeout;
  private final Runnable onAbandoned;

  FirstReplyDeadline(Scheduler scheduler, Duration timeout, Runnable onAbandoned) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("client.firstReplyTimeout must not be negative");
    }
    this.scheduler = scheduler;
    this.timeout = timeout;
    this.onAbandoned = onAbandoned;
  }

  boolean enabled() {
    return !timeout.isZero();
  }

  Duration timeout() {
    return timeout;
  }

  /** Runs {@code expired} once the deadline passes (never when the deadline is off); returns what cancels it. */
  Runnable start(Runnable expired) {
    return enabled() ? scheduler.schedule(timeout, expired) : () -> { };
  }

  void abandoned() {
    onAbandoned.run();
  }
}
