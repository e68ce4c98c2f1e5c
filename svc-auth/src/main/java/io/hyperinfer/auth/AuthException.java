package io.hyperinfer.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * The auth module's one exception. Its {@link Code} travels over RPC as the stable wire code ({@code ERR_...}), so
 * callers branch on the code, never on the message. Messages never contain secrets.
 */
public final class AuthException extends RuntimeException {
  /** Stable codes; {@link #wire()} is the string that crosses the network. */
  public enum Code {
    USER_EXISTS,
    INVALID_EMAIL,
    WEAK_PASSWORD,
    INVALID_CREDENTIALS,
    TOO_MANY_ATTEMPTS,
    SESSION_EXPIRED,
    SESSION_REVOKED,
    INVALID_SESSION,
    KEY_REVOKED,
    KEY_EXPIRED,
    INVALID_KEY,
    FORBIDDEN,
    BAD_REQUEST,
    NOT_FOUND;

    /** The code as it crosses the wire, e.g. {@code ERR_USER_EXISTS}. */
    public String wire() {
      return "ERR_" + name();
    }

    /** The code for a wire string, if it is one of ours. */
    public static Optional<Code> fromWire(String wire) {
      for (Code code : values()) {
        if (code.wire().equals(wire)) {
          return Optional.of(code);
        }
      }
      return Optional.empty();
    }
  }

  private final Code code;
  private final Duration retryAfter;

  public AuthException(Code code, String message) {
    this(code, message, null);
  }

  private AuthException(Code code, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.code = code;
    this.retryAfter = retryAfter;
  }

  /** Login refused until {@code retryAfter} has passed. */
  public static AuthException tooManyAttempts(Duration retryAfter) {
    return new AuthException(Code.TOO_MANY_ATTEMPTS, "too many failed logins; retry after "
        + retryAfter.toSeconds() + " s", retryAfter);
  }

  public static AuthException badRequest(String message) {
    return new AuthException(Code.BAD_REQUEST, message);
  }

  public static AuthException forbidden(String message) {
    return new AuthException(Code.FORBIDDEN, message);
  }

  public Code code() {
    return code;
  }

  /** How long to wait before retrying; present only for {@link Code#TOO_MANY_ATTEMPTS}. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
