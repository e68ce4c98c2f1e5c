package io.hyperinfer.udx.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.SplittableRandom;

/** A loopback UDP relay that drops a seeded fraction of datagrams, for the lossy throughput figures. */
final class BenchRelay implements AutoCloseable {
  private final DatagramChannel sideA;
  private final DatagramChannel sideB;
  private final Selector selector;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile InetSocketAddress peerA;
  private volatile InetSocketAddress peerB;

  BenchRelay(SplittableRandom random, double loss) throws IOException {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    sideA = DatagramChannel.open().bind(any);
    sideB = DatagramChannel.open().bind(any);
    selector = Selector.open();
    for (DatagramChannel c : new DatagramChannel[] {sideA, sideB}) {
      c.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 8 << 20);
      c.configureBlocking(false);
      c.register(selector, SelectionKey.OP_READ);
    }
    thread = Thread.ofPlatform().daemon().start(() -> run(random, loss));
  }

  InetSocketAddress addressForA() throws IOException {
    return (InetSocketAddress) sideA.getLocalAddress();
  }

  InetSocketAddress addressForB() throws IOException {
    return (InetSocketAddress) sideB.getLocalAddress();
  }

  void peers(InetSocketAddress a, InetSocketAddress b) {
    peerA = a;
    peerB = b;
  }

  private void run(SplittableRandom random, double loss) {
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
    try {
      while (running) {
        selector.select(50);
        selector.selectedKeys().clear();
        for (boolean fromA : new boolean[] {true, false}) {
          DatagramChannel in = fromA ? sideA : sideB;
          DatagramChannel out = fromA ? sideB : sideA;
          while (true) {
            buf.clear();
            if (in.receive(buf) == null) {
              break;
            }
            if (random.nextDouble() >= loss) {
              buf.flip();
              out.send(buf, fromA ? peerB : peerA);
            }
          }
        }
      }
    } catch (IOException e) {
      running = false;
    }
  }

  @Override
  public void close() throws IOException {
    running = false;
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    selector.close();
    sideA.close();
    sideB.close();
  }
}
