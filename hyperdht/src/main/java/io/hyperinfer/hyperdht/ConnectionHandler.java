package io.hyperinfer.hyperdht;

/**
 * Receives a server's connections (JS {@code server.on('connection')}), each on its own virtual thread, so it may
 * block. It should {@link HyperDhtConnection#start start} the connection's secret stream at once (the client's
 * connect waits for its first bytes); a connection it leaves unstarted is started without a listener when it returns.
 */
@FunctionalInterface
public interface ConnectionHandler {
  void onConnection(HyperDhtConnection connection);
}
