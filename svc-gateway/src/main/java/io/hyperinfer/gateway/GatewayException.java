package io.hyperinfer.gateway;

import java.util.Map;

/**
 * The gateway module's one unchecked exception. {@link #wireCode()} is the stable {@code ERR_...} code sent to
 * clients; {@link #details()} carries data a caller can act on (for rate limits: {@code retryAfterMs}, {@code limit}).
 */
public final class GatewayException extends RuntimeException {
  /** Stable failure kinds. */
  public enum Code {
    BAD_REQUEST("ERR_BAD_REQUEST"),
    UNAUTHORIZED("ERR_UNAUTHORIZED"),
    FORBIDDEN("ERR_FORBIDDEN"),
    RATE_LIMITED("ERR_RATE_LIMITED"),
    QUOTA_EXCEEDED("ERR_QUOTA_EXCEEDED"),
    NO_PROCESSOR("ERR_NO_PROCESSOR"),
    /** No processor announces the model at all (as opposed to none being available now). */
    MODEL_NOT_FOUND("ERR_MODEL_NOT_FOUND"),
    PROCESSOR_FAILED("ERR_PROCESSOR_FAILED"),
    TIMEOUT("ERR_TIMEOUT"),
    AUTH_UNAVAILABLE("ERR_AUTH_UNAVAILABLE");

    private final String wire;

    Code(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  private final Code code;
  private final Map<String, Object> details;

  public GatewayException(Code code, String message) {
    this(code, message, Map.of());
  }

  public GatewayException(Code code, String message, Map<String, Object> details) {
    super(message);
    this.code = code;
    this.details = Map.copyOf(details);
  }

  public Code code() {
    return code;
  }

  public String wireCode() {
    return code.wire();
  }

  public Map<String, Object> details() {
    return details;
  }

  public static GatewayException badRequest(String message) {
    return new GatewayException(Code.BAD_REQUEST, message);
  }

  public static GatewayException unauthorized(String message) {
    return new GatewayException(Code.UNAUTHORIZED, message);
  }

  /** A limit was hit; retry after {@code retryAfterMs}. {@code limit} names it (requestsPerMinute, ...). */
  public static GatewayException rateLimited(String limit, long retryAfterMs) {
    return new GatewayException(Code.RATE_LIMITED, "rate limit '" + limit + "' reached; retry in " + retryAfterMs
        + " ms", Map.of("limit", limit, "retryAfterMs", retryAfterMs));
  }
}
