package io.hyperinfer.rpc;

/**
 * The one error of this module. {@link #code()} mirrors the codes protomux-rpc puts on the wire or raises locally;
 * {@link #wireCode()} is the code string exactly as sent (also for codes this module does not know). Remote errors
 * carry the remote handler's error as {@link #getCause()}, itself an {@code RpcException} with code
 * {@link Code#APPLICATION} unless its code string is one of ours.
 */
public final class RpcException extends RuntimeException {

  /** Stable codes. */
  public enum Code {
    /** The peer has no handler for the method. Sent by the server. */
    UNKNOWN_METHOD,
    /** The handler failed; the cause is the handler's error. Sent by the server. */
    REQUEST_ERROR,
    /** A value could not be decoded. */
    DECODE_ERROR,
    /** A value could not be encoded. */
    ENCODE_ERROR,
    /** No response within the request's timeout. Local. */
    TIMEOUT_EXCEEDED,
    /** The channel closed before a response arrived. Local. */
    CHANNEL_CLOSED,
    /** This side destroyed the channel. Local. */
    CHANNEL_DESTROYED,
    /** An RPC channel for this stream and id already exists. Local. */
    DUPLICATE_CHANNEL,
    /** The peer's capability did not match (@hyperswarm/rpc destroys the channel). Local. */
    INVALID_CAPABILITY,
    /** Any other code, or none: see {@link #wireCode()}. */
    APPLICATION;

    /** The code for a wire string; unknown or missing strings are {@link #APPLICATION}. */
    public static Code fromWire(String wire) {
      if (wire != null) {
        for (Code code : values()) {
          if (code != APPLICATION && code.name().equals(wire)) {
            return code;
          }
        }
      }
      return APPLICATION;
    }
  }

  private final Code code;
  private final String wireCode;
  private final String context;

  private RpcException(Code code, String wireCode, String message, String context, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
    this.wireCode = wireCode;
    this.context = context;
  }

  public Code code() {
    return code;
  }

  /** The code string as it travels (for {@link Code#APPLICATION} the application's own code); null if none. */
  public String wireCode() {
    return wireCode;
  }

  /** Extra context a remote handler attached to its error, or null. */
  public String context() {
    return context;
  }

  @Override
  public String toString() {
    return "RpcException[" + (wireCode == null ? code : wireCode) + "]: " + getMessage();
  }

  /** An error a handler throws to send its own code (and optional context) to the caller as the cause. */
  public static RpcException application(String code, String message, String context) {
    return new RpcException(Code.APPLICATION, code, message, context, null);
  }

  public static RpcException unknownMethod(String method) {
    return withCode(Code.UNKNOWN_METHOD, "Unknown method '" + method + "'", null);
  }

  public static RpcException requestError(Throwable cause) {
    return withCode(Code.REQUEST_ERROR, "Request failed", cause);
  }

  public static RpcException decodeError(String message, Throwable cause) {
    return withCode(Code.DECODE_ERROR, message, cause);
  }

  public static RpcException encodeError(String message, Throwable cause) {
    return withCode(Code.ENCODE_ERROR, message, cause);
  }

  public static RpcException timeoutExceeded(long timeoutMillis) {
    return withCode(Code.TIMEOUT_EXCEEDED, "timeout of " + timeoutMillis + "ms exceeded", null);
  }

  public static RpcException channelClosed() {
    return withCode(Code.CHANNEL_CLOSED, "channel closed", null);
  }

  /** The channel never opened or closed because the connection under it failed; {@code cause} says why. */
  public static RpcException channelClosed(Throwable cause) {
    return withCode(Code.CHANNEL_CLOSED, "channel closed: " + (cause == null ? "connection lost" : cause.getMessage()),
        cause);
  }

  public static RpcException channelDestroyed() {
    return withCode(Code.CHANNEL_DESTROYED, "channel destroyed", null);
  }

  public static RpcException duplicateChannel() {
    return withCode(Code.DUPLICATE_CHANNEL, "duplicate channel", null);
  }

  public static RpcException invalidCapability() {
    return withCode(Code.INVALID_CAPABILITY, "Remote sent invalid capability", null);
  }

  /** An error as it arrived from the peer: its message, code string (maybe null) and remote cause (maybe null). */
  public static RpcException remote(String message, String wireCode, RpcException cause) {
    return new RpcException(Code.fromWire(wireCode), wireCode, message, null, cause);
  }

  /** A remote handler's error (the cause part of a response). */
  public static RpcException remoteCause(String message, String wireCode, String context) {
    return new RpcException(Code.fromWire(wireCode), wireCode, message, context, null);
  }

  private static RpcException withCode(Code code, String message, Throwable cause) {
    return new RpcException(code, code.name(), message, null, cause);
  }
}
