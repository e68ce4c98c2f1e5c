package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * The net facility's one error, and the only error that crosses the wire: a stable code ("ERR_..."), a message meant
 * for the caller and optional JSON details. Never carries a remote stack trace. Services define their own codes
 * (ERR_USER_EXISTS...). Not to be confused with {@code io.hyperinfer.rpc.RpcException}, the protocol layer's error,
 * which a transport maps to and from this one.
 */
public final class NetException extends RuntimeException {
  public static final String ERR_TIMEOUT = "ERR_TIMEOUT";
  public static final String ERR_UNKNOWN_METHOD = "ERR_UNKNOWN_METHOD";
  public static final String ERR_FORBIDDEN = "ERR_FORBIDDEN";
  public static final String ERR_PEER_UNAVAILABLE = "ERR_PEER_UNAVAILABLE";
  public static final String ERR_BAD_REQUEST = "ERR_BAD_REQUEST";
  public static final String ERR_INTERNAL = "ERR_INTERNAL";
  public static final String ERR_CANCELLED = "ERR_CANCELLED";
  public static final String ERR_CONNECTION_LOST = "ERR_CONNECTION_LOST";
  public static final String ERR_NO_PEERS = "ERR_NO_PEERS";
  public static final String ERR_STOPPING = "ERR_STOPPING";
  /** The caller already has as many calls running here as one peer may ({@code facs.net.maxInFlightPerPeer}). */
  public static final String ERR_TOO_MANY_REQUESTS = "ERR_TOO_MANY_REQUESTS";
  /** A peer broke the stream format: a malformed frame, or chunks too far ahead of the ones still missing. */
  public static final String ERR_BAD_FRAME = "ERR_BAD_FRAME";

  private static final Pattern CODE = Pattern.compile("ERR_[A-Z0-9_]+");

  private final String code;
  private final JsonNode details;

  public NetException(String code, String message) {
    this(code, message, NullNode.getInstance());
  }

  public NetException(String code, String message, JsonNode details) {
    super(message, null, false, false);
    if (code == null || !CODE.matcher(code).matches()) {
      throw new IllegalArgumentException("RPC error code must look like ERR_SOMETHING: " + code);
    }
    this.code = code;
    this.details = details == null ? NullNode.getInstance() : details.deepCopy();
  }

  public String code() {
    return code;
  }

  /** Details the caller can act on; JSON null when there are none. */
  public JsonNode details() {
    return details.deepCopy();
  }

  public static NetException timeout(String method) {
    return new NetException(ERR_TIMEOUT, "request '" + method + "' timed out");
  }

  public static NetException unknownMethod(String method) {
    return new NetException(ERR_UNKNOWN_METHOD, "unknown method '" + method + "'");
  }

  public static NetException forbidden() {
    return new NetException(ERR_FORBIDDEN, "caller is not allowed");
  }

  public static NetException peerUnavailable(String peer) {
    return new NetException(ERR_PEER_UNAVAILABLE, "peer " + peer + " is unavailable");
  }

  public static NetException badRequest(String message) {
    return new NetException(ERR_BAD_REQUEST, message);
  }

  public static NetException internal() {
    return new NetException(ERR_INTERNAL, "internal error");
  }

  public static NetException cancelled() {
    return new NetException(ERR_CANCELLED, "cancelled");
  }

  public static NetException noPeers(String topic) {
    return new NetException(ERR_NO_PEERS, "no peer announces topic '" + topic + "'");
  }

  public static NetException connectionLost(String peer) {
    return new NetException(ERR_CONNECTION_LOST, "connection to " + peer + " lost");
  }

  public static NetException tooManyRequests(int limit) {
    return new NetException(ERR_TOO_MANY_REQUESTS, "too many calls in flight from this peer (limit " + limit + ")",
        Json.object().put("limit", limit));
  }

  public static NetException badFrame(String why) {
    return new NetException(ERR_BAD_FRAME, "bad stream frame: " + why);
  }

  /**
   * The NetException inside a failure as futures report it (through CompletionException or ExecutionException);
   * ERR_INTERNAL for anything else, so no foreign error's text ever reaches a caller.
   */
  public static NetException of(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof NetException net ? net : internal();
  }

  /** The wire form: {code, message, details}. */
  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("code", code);
    o.put("message", getMessage());
    o.set("details", details.deepCopy());
    return o;
  }

  /** Reads the wire form; a malformed error object becomes ERR_INTERNAL rather than failing the caller twice. */
  public static NetException fromJson(JsonNode json) {
    String code = json.path("code").asText("");
    if (!CODE.matcher(code).matches()) {
      return internal();
    }
    return new NetException(code, json.path("message").asText(""), json.path("details"));
  }

  @Override
  public String toString() {
    return "NetException[" + code + ": " + getMessage() + "]";
  }
}
