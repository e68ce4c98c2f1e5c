package io.hyperinfer.udx;

/**
 * The udx module's one exception. Stream-scoped codes end one stream; socket-scoped codes end a socket and its
 * streams.
 */
public final class UdxException extends RuntimeException {
  /** Stable codes named after the libuv errors libudx reports. */
  public enum Code {
    /** The peer stopped acknowledging: retransmissions ran out, or the idle timeout passed. */
    ETIMEDOUT(Scope.STREAM),
    /** The peer sent DESTROY. */
    ECONNRESET(Scope.STREAM),
    /** This side destroyed the stream, or its socket closed. */
    DESTROYED(Scope.STREAM),
    /** The stream was used in a state that does not allow it (not connected, already ended, already connected). */
    BAD_STATE(Scope.STREAM),
    /** An argument was out of range: an id already in use, a message that does not fit a datagram. */
    BAD_ARGUMENT(Scope.STREAM),
    /** A blocked read or write was interrupted; the stream itself is unaffected. */
    INTERRUPTED(Scope.STREAM),
    /** The socket could not be bound, or failed to send or receive. */
    SOCKET_FAILED(Scope.SOCKET),
    /** The socket is closed. */
    SOCKET_CLOSED(Scope.SOCKET);

    private final Scope scope;

    Code(Scope scope) {
      this.scope = scope;
    }

    public Scope scope() {
      return scope;
    }
  }

  /** Whether the failure ends one stream or the whole socket. */
  public enum Scope {
    STREAM,
    SOCKET
  }

  private final Code code;

  public UdxException(Code code, String message) {
    super(message, null, false, true);
    this.code = code;
  }

  public UdxException(Code code, String message, Throwable cause) {
    super(message, cause, false, true);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static UdxException timedOut(String message) {
    return new UdxException(Code.ETIMEDOUT, message);
  }

  public static UdxException connectionReset() {
    return new UdxException(Code.ECONNRESET, "stream reset by peer (DESTROY)");
  }

  public static UdxException destroyed() {
    return new UdxException(Code.DESTROYED, "stream destroyed");
  }

  public static UdxException badState(String message) {
    return new UdxException(Code.BAD_STATE, message);
  }

  public static UdxException badArgument(String message) {
    return new UdxException(Code.BAD_ARGUMENT, message);
  }

  public static UdxException interrupted() {
    return new UdxException(Code.INTERRUPTED, "interrupted while blocked on the stream");
  }

  public static UdxException socketFailed(String message, Throwable cause) {
    return new UdxException(Code.SOCKET_FAILED, message, cause);
  }

  public static UdxException socketClosed() {
    return new UdxException(Code.SOCKET_CLOSED, "socket closed");
  }
}
