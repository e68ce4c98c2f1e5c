package io.hyperinfer.secretstream;

import io.hyperinfer.udx.wire.PacketType;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP relay on 127.0.0.1 between two known UDX sockets that loses the first END packet {@code b} sends to
 * {@code a} and forwards everything else: the one loss that tells a clean close from a DESTROY racing the END.
 * Both peers send to {@link #address()}. One platform thread; close stops it.
 */
final class EndDroppingRelay implements AutoCloseable {
  private final DatagramSocket socket;
  private final InetSocketAddress a;
  private final InetSocketAddress b;
  private final AtomicInteger droppedEnds = new AtomicInteger();

  EndDroppingRelay(InetSocketAddress a, InetSocketAddress b) throws IOException {
    this.a = a;
    this.b = b;
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread.ofPlatform().name("end-dropping-relay").daemon().start(this::run);
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** END packets from b lost so far (at most one). */
  int droppedEnds() {
    return droppedEnds.get();
  }

  private void run() {
    DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
    try {
      while (true) {
        packet.setLength(65_536);
        socket.receive(packet);
        boolean fromB = b.equals(packet.getSocketAddress());
        if (fromB && isEnd(packet) && droppedEnds.compareAndSet(0, 1)) {
          continue;
        }
        packet.setSocketAddress(fromB ? a : b);
        socket.send(packet);
      }
    } catch (IOException e) {
      // closed: the relay stops
    }
  }

  private static boolean isEnd(DatagramPacket p) {
    byte[] d = p.getData();
    return p.getLength() >= 20 && d[0] == (byte) 0xFF && d[1] == 1 && (d[2] & PacketType.END) != 0;
  }

  @Override
  public void close() {
    socket.close();
  }
}
