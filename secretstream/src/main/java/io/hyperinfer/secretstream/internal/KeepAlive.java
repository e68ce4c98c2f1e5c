package io.hyperinfer.secretstream.internal;

import java.time.Clock;
import java.time.Duration;

/**
 * When to send the next keepalive: one interval after the last write, as secret-stream's refreshed timer.
 * Time comes from the injected clock so tests drive it. Thread-safe.
 */
public final class KeepAlive {
  private final long intervalMillis;
  private final Clock clock;
  private volatile long lastWriteMillis;

  public KeepAlive(Duration interval, Clock clock) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("keepalive interval must be positive: " + interval);
    }
    this.intervalMillis = interval.toMillis();
    this.clock = clock;
    this.lastWriteMillis = clock.millis();
  }

  /** Records a write (data or keepalive) now. */
  public void onWrite() {
    lastWriteMillis = clock.millis();
  }

  /** Milliseconds until a keepalive is due; zero or less means send one now. */
  public long millisUntilDue() {
    return lastWriteMillis + intervalMillis - clock.millis();
  }
}
