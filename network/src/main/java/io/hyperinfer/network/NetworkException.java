package io.hyperinfer.network;

/** The network module's one exception; callers branch on {@link #code()}, never on the message. */
public final class NetworkException extends RuntimeException {
  /** Stable codes. */
  public enum Code {
    /** A caller passed something malformed: a key of the wrong size, an empty role set, an unknown role name. */
    BAD_ARGUMENT,
    /** Bytes that are not a canonical roster or signed roster. */
    BAD_ROSTER,
    /** A roster whose signature does not verify under the network key it names. */
    FORGED,
    /** A roster of another network. */
    WRONG_NETWORK,
    /** Signing needs the operator's secret key, and this network key holds only the public half. */
    NO_SECRET_KEY,
    /** A roster over the size or count bounds. */
    TOO_LARGE,
    /** Reading or writing a roster or key file failed. */
    IO
  }

  private final Code code;

  public NetworkException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public NetworkException(Code code, String message, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  static NetworkException badArgument(String message) {
    return new NetworkException(Code.BAD_ARGUMENT, message);
  }

  @Override
  public String toString() {
    return "NetworkException[" + code + "]: " + getMessage();
  }
}
