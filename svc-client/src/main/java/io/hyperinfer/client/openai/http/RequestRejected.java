package io.hyperinfer.client.openai.http;

/**
 * A request the server refuses on its own, before or while reading it (bad head, too large, too slow, too many): the
 * status, an OpenAI-style snake_case code and a message for the client. The connection is closed after the answer,
 * since what is left of the request cannot be trusted to be framed. Immutable.
 */
public final class RequestRejected extends RuntimeException {
  private final int status;
  private final String code;
  private final int retryAfterSeconds;

  RequestRejected(int status, String code, String message, int retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  RequestRejected(int status, String code, String message) {
    this(status, code, message, -1);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Seconds for a {@code Retry-After} header, or -1 for none. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
