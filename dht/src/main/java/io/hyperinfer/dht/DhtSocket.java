package io.hyperinfer.dht;

import io.hyperinfer.encoding.HostPort;

/**
 * A bound datagram socket the node speaks through: the seam between the protocol core and a transport (UDX
 * sockets, the simulated network). Implementations are thread-safe; the node calls them on its loop.
 */
public interface DhtSocket {
  /** The address this socket is bound to. */
  HostPort localAddress();

  /** Sends one datagram; failures are dropped and counted by the transport, never thrown. */
  void send(byte[] datagram, HostPort to);
}
