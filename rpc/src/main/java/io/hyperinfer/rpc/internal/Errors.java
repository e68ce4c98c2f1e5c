package io.hyperinfer.rpc.internal;

import io.hyperinfer.rpc.RpcException;
import io.hyperinfer.rpc.wire.RpcMessage.WireCause;
import io.hyperinfer.rpc.wire.RpcMessage.WireError;

/** Turns errors into their wire form and back, as protomux-rpc does. */
public final class Errors {
  private Errors() {}

  /** What a server sends for {@code error}; a handler's own error travels as the cause of REQUEST_ERROR. */
  public static WireError toWire(RpcException error) {
    Throwable cause = error.getCause();
    return new WireError(error.getMessage(), error.wireCode(), cause == null ? null : toCause(cause));
  }

  static WireCause toCause(Throwable t) {
    if (t instanceof RpcException r) {
      return new WireCause(r.getMessage(), r.wireCode() == null ? "" : r.wireCode(), r.context());
    }
    String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    return new WireCause(message, "", null);
  }

  /** The typed error for a response's error fields. */
  public static RpcException fromWire(WireError error) {
    WireCause c = error.cause();
    RpcException cause = c == null ? null : RpcException.remoteCause(c.message(), c.code().isEmpty() ? null : c.code(),
        c.context());
    return RpcException.remote(error.message(), error.code(), cause);
  }
}
