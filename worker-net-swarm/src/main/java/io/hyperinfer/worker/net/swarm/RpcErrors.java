package io.hyperinfer.worker.net.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.hyperdht.HyperDhtException;
import io.hyperinfer.rpc.RpcException;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * The one mapping between the worker net's {@link NetException} and @hyperswarm/rpc's {@link RpcException}. A handler's
 * error travels as protomux-rpc's {@code REQUEST_ERROR} whose cause carries the {@code ERR_} code, the message and the
 * details as JSON text in {@code context} (what a JS caller reads as {@code err.cause.code}); the caller turns it back
 * into the same NetException. Transport failures become the codes the machinery retries on: a connect that failed
 * (PEER_NOT_FOUND, PEER_CONNECTION_FAILED, HOLEPUNCH_*, its deadline...) is ERR_PEER_UNAVAILABLE, a connection that
 * closed under a call is ERR_CONNECTION_LOST. Stateless.
 */
final class RpcErrors {
  private static final Pattern CODE = Pattern.compile("ERR_[A-Z0-9_]+");
  /** The longest remote message kept when a foreign handler's error has no code of ours. */
  static final int MAX_FOREIGN_MESSAGE = 200;

  private RpcErrors() {}

  /** What a handler's error is sent as. */
  static RpcException toWire(NetException e) {
    JsonNode details = e.details();
    return RpcException.application(e.code(), e.getMessage(), details.isNull() ? null : details.toString());
  }

  /** What a failed request to {@code peer} becomes for the caller. */
  static NetException fromWire(Throwable failure, PeerRef peer, String method) {
    Throwable t = unwrap(failure);
    if (!(t instanceof RpcException rpc)) {
      return unavailable(peer, t);
    }
    return switch (rpc.code()) {
      case REQUEST_ERROR -> rpc.getCause() instanceof RpcException cause ? fromHandler(cause)
          : foreign(rpc.getMessage());
      case APPLICATION -> fromHandler(rpc);
      case UNKNOWN_METHOD -> NetException.unknownMethod(method);
      case TIMEOUT_EXCEEDED -> NetException.timeout(method);
      case ENCODE_ERROR, DECODE_ERROR -> NetException.badRequest("'" + method + "' could not be carried: "
          + rpc.getMessage());
      case CHANNEL_CLOSED -> rpc.getCause() != null ? unavailable(peer, unwrap(rpc.getCause()))
          : NetException.connectionLost(peer.hex());
      case CHANNEL_DESTROYED, DUPLICATE_CHANNEL, INVALID_CAPABILITY -> unavailable(peer, rpc);
    };
  }

  /** A handler's error as it came back: ours keep their code, others become ERR_INTERNAL with their message. */
  private static NetException fromHandler(RpcException cause) {
    String code = cause.wireCode();
    if (code != null && CODE.matcher(code).matches()) {
      return new NetException(code, cause.getMessage(), details(cause.context()));
    }
    String message = cause.getMessage();
    if (message != null && CODE.matcher(message).matches()) {
      // The JS worker framework's convention: throw new Error('ERR_SOMETHING').
      return new NetException(message, message);
    }
    return foreign(message);
  }

  private static NetException foreign(String message) {
    String text = message == null ? "" : message;
    if (text.length() > MAX_FOREIGN_MESSAGE) {
      text = text.substring(0, MAX_FOREIGN_MESSAGE);
    }
    return new NetException(NetException.ERR_INTERNAL, "remote handler failed: " + text);
  }

  private static JsonNode details(String context) {
    if (context == null || context.isEmpty()) {
      return NullNode.getInstance();
    }
    try {
      return Json.parse(context);
    } catch (IllegalArgumentException notJson) {
      return TextNode.valueOf(context);
    }
  }

  /** ERR_PEER_UNAVAILABLE naming why, e.g. {@code {"reason": "PEER_NOT_FOUND"}}. */
  static NetException unavailable(PeerRef peer, Throwable why) {
    String reason = switch (why) {
      case HyperDhtException h -> h.code().name();
      case DhtException d -> d.code().name();
      case RpcException r -> r.code().name();
      case java.util.concurrent.TimeoutException t -> "CONNECT_TIMEOUT";
      case io.hyperinfer.swarm.SwarmException w -> w.code().name();
      case null -> "UNKNOWN";
      default -> why.getClass().getSimpleName();
    };
    return new NetException(NetException.ERR_PEER_UNAVAILABLE, "peer " + peer.hex() + " is unavailable (" + reason
        + ")", Json.object().put("reason", reason));
  }

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
