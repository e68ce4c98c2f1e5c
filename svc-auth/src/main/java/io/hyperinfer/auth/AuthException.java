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
    /** The roster now names a session key this Auth does not hold: it neither issues nor validates sessions. */
    SESSION_KEY_RETIRED,
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
  private final PasswordPolicy.Rule rule;

  public AuthException(Code code, String message) {
    this(code, message, null, null);
  }

  private AuthException(Code code, String message, Duration retryAfter, PasswordPolicy.Rule rule) {
    super(message, null, false, false);
    this.code = code;
    this.retryAfter = retryAfter;
    this.rule = rule;
  }

  /** A new password broke {@code rule}; the message says how, never echoing the password. */
  public static AuthException weakPassword(PasswordPolicy.Rule rule, String message) {
    return new AuthException(Code.WEAK_PASSWORD, message, null, rule);
  }

  /** Login refused until {@code retryAfter} has passed. */
  public static AuthException tooManyAttempts(Duration retryAfter) {
    return tooManyAttempts("too many failed logins", retryAfter);
  }

  /** Refused for {@code what} (a throttle, a backoff) until {@code retryAfter} has passed. */
  public static AuthException tooManyAttempts(String what, Duration retryAfter) {
    return new AuthException(Code.TOO_MANY_ATTEMPTS, what + "; retry after " + retryAfter.toSeconds() + " s",
        retryAfter, null);
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

  /** The password rule broken; present only for {@link Code#WEAK_PASSWORD}. */
  public Optional<PasswordPolicy.Rule> rule() {
    return Optional.ofNullable(rule);
  }

  /** How long to wait before retrying; present only for {@link Code#TOO_MANY_ATTEMPTS}. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
