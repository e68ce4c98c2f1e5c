package io.hyperinfer.udx;

import java.net.InetSocketAddress;

/**
 * Receives every datagram that is not for a live UDX stream: other protocols sharing the socket (dht-rpc), and UDX
 * packets for unknown ids. Called on the socket's loop thread with a fresh array: do not block.
 */
@FunctionalInterface
public interface NonUdxHandler {
  NonUdxHandler IGNORE = (socket, data, from) -> {};

  void onPacket(UdxSocket socket, byte[] data, InetSocketAddress from);
}
