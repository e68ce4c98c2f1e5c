package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.udx.UdxException;
import io.hyperinfer.udx.UdxSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * A UDX socket of this node other than its two dht-rpc sockets (a puncher socket of the socket pool), seen as a
 * {@link DhtSocket} so dht-rpc requests can leave from it and their replies, matched by tid, come back through it
 * ({@code lib/socket-pool.js}). Thread-safe.
 */
final class ExtraSocket implements DhtSocket {
  private final UdxSocket socket;
  private final HostPort address;

  /**
   * {@code socket} as one of {@code node}'s: datagrams of more than one byte go into the node, one-byte ones (holepunch
   * probes) to {@code onProbe}, on the socket's loop thread; other sources than IPv4 are dropped.
   */
  static ExtraSocket attach(DhtNode node, UdxSocket socket, Consumer<HostPort> onProbe) {
    ExtraSocket extra = new ExtraSocket(socket);
    socket.onNonUdxPacket((s, data, from) -> {
      if (!(from.getAddress() instanceof Inet4Address v4)) {
        return;
      }
      HostPort source = new HostPort(v4.getHostAddress(), from.getPort());
      if (data.length > 1) {
        node.execute(() -> node.onMessage(extra, data, source));
      } else if (data.length == 1) {
        onProbe.accept(source);
      }
    });
    return extra;
  }

  private ExtraSocket(UdxSocket socket) {
    this.socket = socket;
    InetSocketAddress a = socket.localAddress();
    this.address = new HostPort(a.getAddress().getHostAddress(), a.getPort());
  }

  @Override
  public HostPort localAddress() {
    return address;
  }

  @Override
  public void send(byte[] datagram, HostPort to) {
    try {
      socket.send(datagram, new InetSocketAddress(InetAddress.ofLiteral(to.host()), to.port()));
    } catch (UdxException | IllegalArgumentException e) {
      // a datagram that cannot leave is lost, as any UDP datagram may be; the sender's request times out
    }
  }

  @Override
  public String toString() {
    return "extra:" + address;
  }
}
