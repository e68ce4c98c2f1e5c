package io.hyperinfer.dht;

import io.hyperinfer.encoding.HostPort;

/** Where a runtime delivers inbound datagrams; always called on the node's loop thread. */
@FunctionalInterface
public interface DatagramHandler {
  /**
   * One datagram that arrived on {@code socket} from {@code from} (an IPv4 address; runtimes drop other sources).
   * The array is owned by the callee.
   */
  void onDatagram(DhtSocket socket, byte[] data, HostPort from);
}
