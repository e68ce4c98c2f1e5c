package io.hyperinfer.client.openai.http;

import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import java.time.Duration;

/**
 * The bounds of {@link BoundedHttpServer}: what one hostile client, or many, can make it hold. From config section
 * {@value #SECTION} ({@link #fromConfig}; keys named as the components, sizes in bytes, durations as "10s" or
 * milliseconds), each key defaulting to {@link #DEFAULT}'s. Immutable.
 *
 * @param maxConnections connections open at once; one more is answered 503 and closed
 * @param maxInFlight requests being handled at once (from the end of the body, or of the head for a request without
 *     one, to the end of the response, streams included); one more is answered 429 with {@code Retry-After}
 * @param maxHeadBytes request line and headers; more is 431
 * @param maxBodyBytes one request body; more is 413 (at once when Content-Length says so)
 * @param bodyBudgetBytes request body bytes held at once by all requests, counted as they arrive; a body that does not
 *     fit is 429 with {@code Retry-After}
 * @param headTimeout from a request's first byte to the end of its head; a head trickled slower is 408 and closed
 * @param bodyTimeout from the end of the head to the end of the body; a body trickled slower is 408 and closed
 * @param idleTimeout a kept-alive connection waiting for its next request is closed after this
 * @param writeTimeout the longest one write to the client may block (a reader that stopped reading); the connection
 *     is then closed and a streamed generation cancelled
 * @param sendBufferBytes the socket send buffer asked of the kernel per connection (bounds what a stalled reader
 *     leaves buffered)
 */
public record HttpLimits(int maxConnections, int maxInFlight, int maxHeadBytes, int maxBodyBytes, long bodyBudgetBytes,
    Duration headTimeout, Duration bodyTimeout, Duration idleTimeout, Duration writeTimeout, int sendBufferBytes) {
  /** The defaults: see SECURITY.md "The OpenAI endpoint". */
  public static final HttpLimits DEFAULT = new HttpLimits(256, 64, 16 << 10, 10 << 20, 64L << 20,
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(15), 128 << 10);
  /** The config section of the limits, read by {@link #fromConfig}. */
  public static final String SECTION = "client.openai";
  /** Seconds a 429 or 503 asks the client to wait. */
  public static final int RETRY_AFTER_SECONDS = 1;

  public HttpLimits {
    positive("maxConnections", maxConnections);
    positive("maxInFlight", maxInFlight);
    if (maxHeadBytes < 1024 || maxHeadBytes > (1 << 20)) {
      throw new IllegalArgumentException("maxHeadBytes must be from 1024 to 1048576, not " + maxHeadBytes);
    }
    positive("maxBodyBytes", maxBodyBytes);
    if (bodyBudgetBytes < maxBodyBytes) {
      throw new IllegalArgumentException("bodyBudgetBytes (" + bodyBudgetBytes + ") must hold at least one body of "
          + maxBodyBytes + " bytes");
    }
    positive("headTimeout", headTimeout);
    positive("bodyTimeout", bodyTimeout);
    positive("idleTimeout", idleTimeout);
    positive("writeTimeout", writeTimeout);
    positive("sendBufferBytes", sendBufferBytes);
  }

  /** The limits in {@code config}'s section {@value #SECTION}; a bad value fails naming its key. */
  public static HttpLimits fromConfig(Config config) {
    Config c = config.section(SECTION);
    HttpLimits d = DEFAULT;
    try {
      return new HttpLimits(c.intValue("maxConnections", d.maxConnections), c.intValue("maxInFlight", d.maxInFlight),
          c.intValue("maxHeadBytes", d.maxHeadBytes), c.intValue("maxBodyBytes", d.maxBodyBytes),
          c.longValue("bodyBudgetBytes", d.bodyBudgetBytes), c.duration("headTimeout", d.headTimeout),
          c.duration("bodyTimeout", d.bodyTimeout), c.duration("idleTimeout", d.idleTimeout),
          c.duration("writeTimeout", d.writeTimeout), c.intValue("sendBufferBytes", d.sendBufferBytes));
    } catch (IllegalArgumentException e) {
      String key = e.getMessage().split(" ", 2)[0];
      throw ConfigException.invalid(SECTION + "." + key, e.getMessage());
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be above zero, not " + value);
    }
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a duration above zero, not " + value);
    }
  }

  public HttpLimits withMaxInFlight(int n) {
    return new HttpLimits(maxConnections, n, maxHeadBytes, maxBodyBytes, bodyBudgetBytes, headTimeout, bodyTimeout,
        idleTimeout, writeTimeout, sendBufferBytes);
  }

  /** These limits with bodies capped at {@code bytes} (the budget grown to hold one if needed). */
  public HttpLimits withMaxBodyBytes(int bytes) {
    return new HttpLimits(maxConnections, maxInFlight, maxHeadBytes, bytes, Math.max(bodyBudgetBytes, bytes),
        headTimeout, bodyTimeout, idleTimeout, writeTimeout, sendBufferBytes);
  }

  public HttpLimits withTimeouts(Duration head, Duration body, Duration idle, Duration write) {
    return new HttpLimits(maxConnections, maxInFlight, maxHeadBytes, maxBodyBytes, bodyBudgetBytes, head, body, idle,
        write, sendBufferBytes);
  }

  /** These limits with {@code bytes} of socket send buffer asked per connection. */
  public HttpLimits withSendBufferBytes(int bytes) {
    return new HttpLimits(maxConnections, maxInFlight, maxHeadBytes, maxBodyBytes, bodyBudgetBytes, headTimeout,
        bodyTimeout, idleTimeout, writeTimeout, bytes);
  }
}
