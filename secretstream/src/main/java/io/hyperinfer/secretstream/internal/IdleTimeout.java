package io.hyperinfer.secretstream.internal;

import java.time.Clock;
import java.time.Duration;

/**
 * When a stream that receives nothing times out: one timeout after the last bytes read, as secret-stream's timer
 * that every chunk of raw data refreshes (handshake, header, data and keepalive frames alike; unordered datagrams
 * do not). Off while the timeout is zero. Separately, an optional handshake deadline that no bytes move: a peer that
 * trickles a byte at a time keeps the idle timer fresh but still runs out of handshake time. Time comes from the
 * injected clock so tests drive it.
 *
 * <p>Thread-safe: the reader records reads, any thread sets the timeout. A read costs one volatile load while off,
 * plus one clock read and one volatile store while on.
 */
public final class IdleTimeout {
  /** What {@link #millisUntilExpiry()} returns while off. */
  public static final long OFF = Long.MAX_VALUE;

  private final Clock clock;
  private volatile long timeoutMillis;
  private volatile long lastReadMillis;
  private volatile long handshakeDeadlineMillis = OFF;

  public IdleTimeout(Clock clock) {
    this.clock = clock;
  }

  /**
   * Starts a new window of {@code timeout} from now, as JS {@code setTimeout(ms)} does; zero turns it off. A positive
   * timeout under one millisecond counts as one.
   */
  public void set(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    lastReadMillis = clock.millis();
    timeoutMillis = timeout.isZero() ? 0 : Math.max(1, timeout.toMillis());
  }

  /** The timeout, {@code ZERO} while off. */
  public Duration timeout() {
    return Duration.ofMillis(timeoutMillis);
  }

  /** Whether a timeout or a handshake deadline is set. */
  public boolean isOn() {
    return timeoutMillis != 0 || handshakeDeadlineMillis != OFF;
  }

  /** The handshake must be done within {@code limit} from now; zero sets no deadline. */
  public void handshakeDeadline(Duration limit) {
    if (limit.isNegative()) {
      throw new IllegalArgumentException("handshake timeout must not be negative: " + limit);
    }
    handshakeDeadlineMillis = limit.isZero() ? OFF : clock.millis() + Math.max(1, limit.toMillis());
  }

  /** The handshake finished: its deadline no longer applies. Returns whether one was pending. */
  public boolean handshakeDone() {
    boolean pending = handshakeDeadlineMillis != OFF;
    handshakeDeadlineMillis = OFF;
    return pending;
  }

  /** Whether the handshake deadline (rather than the idle timeout) has passed. */
  public boolean handshakeExpired() {
    long deadline = handshakeDeadlineMillis;
    return deadline != OFF && clock.millis() >= deadline;
  }

  /** Records bytes received now (the reader, once per raw read). */
  public void onRead() {
    if (timeoutMillis != 0) {
      lastReadMillis = clock.millis();
    }
  }

  /** Milliseconds until the stream times out: zero or less means now, {@link #OFF} while off. */
  public long millisUntilExpiry() {
    long timeout = timeoutMillis;
    long deadline = handshakeDeadlineMillis;
    if (timeout == 0 && deadline == OFF) {
      return OFF;
    }
    long now = clock.millis();
    long idle = timeout == 0 ? OFF : lastReadMillis + timeout - now;
    return deadline == OFF ? idle : Math.min(idle, deadline - now);
  }
}
