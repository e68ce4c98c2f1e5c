package io.hyperinfer.rpc.wire;

/** The two message types of a protomux-rpc channel, in their wire order. */
public sealed interface RpcMessage permits RpcMessage.Request, RpcMessage.Response {

  /**
   * Type 0: {@code uint id, string method, raw value}. Id 0 is an event (no response).
   *
   * @param value the value bytes as encoded by the value encoding (optionalBuffer by default)
   */
  record Request(long id, String method, byte[] value) implements RpcMessage {
    public Request {
      if (id < 0 || method == null || value == null) {
        throw new IllegalArgumentException("bad request");
      }
    }
  }

  /**
   * Type 1: {@code bitfield flags, uint id}, then either the raw value or the error fields.
   *
   * @param value encoded value bytes when {@code error} is null
   */
  record Response(long id, byte[] value, WireError error) implements RpcMessage {
    public Response {
      if (id < 0 || (value == null) == (error == null)) {
        throw new IllegalArgumentException("a response has exactly one of value and error");
      }
    }
  }

  /** An error as it travels: message without the "CODE: " prefix, optional code, optional cause. */
  record WireError(String message, String code, WireCause cause) {
    public WireError {
      if (message == null) {
        throw new IllegalArgumentException("message required");
      }
      if (code != null && code.isEmpty()) {
        code = null;
      }
    }
  }

  /** The handler's error: message, code ("" when none), optional context. */
  record WireCause(String message, String code, String context) {
    public WireCause {
      if (message == null || code == null) {
        throw new IllegalArgumentException("message and code required");
      }
      if (context != null && context.isEmpty()) {
        context = null;
      }
    }
  }
}
