package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.udx.UdxException;
import io.hyperinfer.udx.UdxSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDX socket of this node other than its two dht-rpc sockets (a puncher socket of the socket pool), seen as a
 * {@link DhtSocket} so dht-rpc requests can leave from it and their replies, matched by tid, come back through it
 * ({@code lib/socket-pool.js}). Thread-safe.
 */
final class ExtraSocket implements DhtSocket {
  private final UdxSocket socket;
  private final HostPort address;
  private final AtomicLong sendErrors = new AtomicLong();

  ExtraSocket(UdxSocket socket) {
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
      sendErrors.incrementAndGet();
    }
  }

  long sendErrors() {
    return sendErrors.get();
  }

  @Override
  public String toString() {
    return "extra:" + address;
  }
}
