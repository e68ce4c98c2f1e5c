package io.hyperinfer.protomux;

/** The one error of this module; {@link #code()} is stable. A mux that raises it on input is destroyed. */
public final class ProtomuxException extends RuntimeException {

  /** Stable error codes. */
  public enum Code {
    /** A message could not be decoded (truncated, bad varint, bad UTF-8, nesting too deep). */
    DECODE_ERROR,
    /** An open reused a live remote id or skipped ids. */
    INVALID_OPEN,
    /** A reject named a channel we never opened. */
    INVALID_REJECT,
    /** The mux or channel is not in a state that allows the call. */
    INVALID_STATE,
    /** The stream under the mux was destroyed. */
    DESTROYED
  }

  private final Code code;

  private ProtomuxException(Code code, String message, Throwable cause) {
    super(code + ": " + message, cause, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static ProtomuxException decodeError(String message, Throwable cause) {
    return new ProtomuxException(Code.DECODE_ERROR, message, cause);
  }

  public static ProtomuxException invalidOpen(long remoteId) {
    return new ProtomuxException(Code.INVALID_OPEN, "invalid open for remote id " + remoteId, null);
  }

  public static ProtomuxException invalidReject(long localId) {
    return new ProtomuxException(Code.INVALID_REJECT, "invalid reject for local id " + localId, null);
  }

  public static ProtomuxException invalidState(String message) {
    return new ProtomuxException(Code.INVALID_STATE, message, null);
  }

  public static ProtomuxException destroyed(Throwable cause) {
    return new ProtomuxException(Code.DESTROYED, "stream destroyed", cause);
  }
}
