package io.hyperinfer.protomux;

/**
 * The framed stream under a {@link Protomux}: it carries whole messages (one secret-stream frame each). The mux calls
 * it with its own lock held, so implementations must never block: queue the bytes and report fullness instead.
 */
public interface MessageTransport {

  /**
   * Queues one whole message for sending.
   *
   * @return false when the transport holds more than it wants; the mux then reports "not drained" until the transport
   *     calls {@link Protomux#onTransportDrained()}
   */
  boolean send(byte[] message);

  /** Stops or resumes delivery of inbound messages; the mux pauses while too many early messages are buffered. */
  default void setReadPaused(boolean paused) {}

  /** Closes the transport; {@code cause} is null for a clean close. Called at most once by the mux. */
  void close(Throwable cause);
}
