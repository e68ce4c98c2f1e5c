package io.hyperinfer.worker.net;

import java.time.Duration;

/**
 * Per-call settings. {@code timeout} is the call's deadline; null means the facility default ({@code
 * facs.net.timeout} for requests, {@code facs.net.streamTimeout} for streams), so no call ever waits without one.
 * {@code attempts} bounds how many announcers a topic request tries (0 = facility default, {@code
 * facs.net.topicAttempts}).
 */
public record RequestOptions(Duration timeout, int attempts) {
  public static final RequestOptions DEFAULT = new RequestOptions(null, 0);

  public RequestOptions {
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative");
    }
  }

  public static RequestOptions timeout(Duration timeout) {
    return new RequestOptions(timeout, 0);
  }

  public RequestOptions withTimeout(Duration t) {
    return new RequestOptions(t, attempts);
  }

  public RequestOptions withAttempts(int n) {
    return new RequestOptions(timeout, n);
  }
}
