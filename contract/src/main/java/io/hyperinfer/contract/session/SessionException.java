package io.hyperinfer.contract.session;

/**
 * A session token that is not accepted offline. {@link Code#wire()} is the error code Auth and gateways send for it,
 * so a client sees the same code whoever checked the token. Immutable.
 */
public final class SessionException extends RuntimeException {
  /** Why the token was refused. */
  public enum Code {
    /** Malformed, forged, or signed by another key. */
    INVALID_SESSION("ERR_INVALID_SESSION"),
    /** Signed, but its expiry has passed. */
    SESSION_EXPIRED("ERR_SESSION_EXPIRED");

    private final String wire;

    Code(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  private final Code code;

  public SessionException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
