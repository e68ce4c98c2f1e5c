package io.hyperinfer.dht;

/**
 * Serves external (user) commands, as a listener on JS's {@code 'request'} event. Called on the node's loop thread:
 * do not block (answer later from another thread if the work is slow). A handler that throws is counted in
 * {@link DhtStats#handlerErrors()} and the request gets no answer.
 */
@FunctionalInterface
public interface RequestHandler {
  /**
   * @return true if the request is taken (answered now, later, or deliberately never); false to let the node answer
   *     UNKNOWN_COMMAND (with closer nodes if the request had a target), as JS does for unhandled commands
   */
  boolean onRequest(IncomingRequest request);
}
