package io.hyperinfer.dht;

/**
 * The one error of this module. {@link #code()} mirrors dht-rpc's error codes ({@code lib/errors.js}) and query
 * failures. Cheap to create (no stack trace): timeouts happen per request. Error <em>replies</em> (UNKNOWN_COMMAND,
 * INVALID_TOKEN, user codes) are not exceptions: they are {@link Response}s with a non-zero error.
 */
public final class DhtException extends RuntimeException {
  /** Stable codes. */
  public enum Code {
    /** No reply after every send of the request (JS REQUEST_TIMEOUT). */
    REQUEST_TIMEOUT,
    /** The request was cancelled: its session or query ended, or the node closed (JS REQUEST_DESTROYED). */
    REQUEST_DESTROYED,
    /** The node is closed (JS "Node destroyed"). */
    NODE_DESTROYED,
    /** A committing query found no node to commit to (JS "Too few nodes responded"). */
    TOO_FEW_NODES,
    /** An auto commit met a closest reply without a token (JS "No token received for closest node"). */
    NO_TOKEN,
    /** Too many requests in flight on this node; nothing was sent. */
    OVERLOADED,
    /** A caller's argument is invalid (JS throws these synchronously). */
    BAD_ARGUMENT,
    /** The node's sockets could not be bound. */
    BIND_FAILED
  }

  private final Code code;

  private DhtException(Code code, String message, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  @Override
  public String toString() {
    return "DhtException[" + code + "]: " + getMessage();
  }

  public static DhtException requestTimeout() {
    return new DhtException(Code.REQUEST_TIMEOUT, "Request timed out", null);
  }

  public static DhtException requestDestroyed() {
    return new DhtException(Code.REQUEST_DESTROYED, "Request destroyed", null);
  }

  public static DhtException nodeDestroyed() {
    return new DhtException(Code.NODE_DESTROYED, "Node destroyed", null);
  }

  public static DhtException tooFewNodes() {
    return new DhtException(Code.TOO_FEW_NODES, "Too few nodes responded", null);
  }

  public static DhtException noToken() {
    return new DhtException(Code.NO_TOKEN, "No token received for closest node", null);
  }

  public static DhtException overloaded(int inflight) {
    return new DhtException(Code.OVERLOADED, "too many requests in flight: " + inflight, null);
  }

  public static DhtException badArgument(String message) {
    return new DhtException(Code.BAD_ARGUMENT, message, null);
  }

  public static DhtException bindFailed(String message, Throwable cause) {
    return new DhtException(Code.BIND_FAILED, message, cause);
  }
}
