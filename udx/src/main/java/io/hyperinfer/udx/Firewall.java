package io.hyperinfer.udx;

import java.net.InetSocketAddress;

/**
 * Decides whether a packet for a stream may be processed when it arrives on a socket other than the stream's own,
 * which includes every packet before the stream is connected. To accept a connection, call
 * {@link UdxStream#connect} from inside the hook with {@code socket} and {@code from}, then return true. Called on
 * the receiving socket's loop thread: do not block.
 */
@FunctionalInterface
public interface Firewall {
  /** Rejects every packet from elsewhere (the default, as in udx-native). */
  Firewall DENY = (stream, socket, from) -> false;

  /** Returns true to process the packet, false to drop it. */
  boolean allow(UdxStream stream, UdxSocket socket, InetSocketAddress from);
}
