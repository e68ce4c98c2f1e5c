package io.hyperinfer.hyperdht;

/**
 * Receives a server's connections (JS {@code server.on('connection')}). By default each call runs on a virtual thread
 * of its own, so it may block; a handler made with {@link #onLoop} runs on the UDX loop thread as the client's first
 * packet arrives (no thread hand-off before the stream starts), and must not block. Either way it should
 * {@link HyperDhtConnection#start start} the connection's secret stream at once (the client's connect waits for its
 * first bytes); a connection it leaves unstarted is started without a listener when it returns.
 */
@FunctionalInterface
public interface ConnectionHandler {
  void onConnection(HyperDhtConnection connection);

  /** Whether calls must get a thread of their own (true unless made with {@link #onLoop}). */
  default boolean mayBlock() {
    return true;
  }

  /** {@code handler}, run on the loop: for handlers that only start the stream with a listener (RPC does). */
  static ConnectionHandler onLoop(ConnectionHandler handler) {
    return new ConnectionHandler() {
      @Override
      public void onConnection(HyperDhtConnection connection) {
        handler.onConnection(connection);
      }

      @Override
      public boolean mayBlock() {
        return false;
      }
    };
  }
}
