package io.hyperinfer.udx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A UDP proxy on 127.0.0.1 between two peers with seeded loss, reordering (extra delay) and duplication. Peer A
 * sends to {@link #addressForA()} and B to {@link #addressForB()}; each side's first datagram teaches the relay its
 * address. One platform thread; close stops it.
 */
final class LossyRelay implements AutoCloseable {
  private record Delayed(long atNs, long order, DatagramChannel out, InetSocketAddress to, byte[] data) {}

  private final DatagramChannel sideA;
  private final DatagramChannel sideB;
  private final Selector selector;
  private final SplittableRandom random;
  private final double loss;
  private final double reorder;
  private final double duplicate;
  private final PriorityQueue<Delayed> delayed = new PriorityQueue<>(
      (x, y) -> x.atNs != y.atNs ? Long.compare(x.atNs, y.atNs) : Long.compare(x.order, y.order));
  private final Thread thread;
  private volatile boolean running = true;
  private volatile InetSocketAddress peerA;
  private volatile InetSocketAddress peerB;
  private long order;

  LossyRelay(SplittableRandom random, double loss, double reorder, double duplicate) throws IOException {
    this.random = random;
    this.loss = loss;
    this.reorder = reorder;
    this.duplicate = duplicate;
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    sideA = DatagramChannel.open().bind(any);
    sideB = DatagramChannel.open().bind(any);
    selector = Selector.open();
    for (DatagramChannel c : new DatagramChannel[] {sideA, sideB}) {
      c.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 8 << 20);
      c.configureBlocking(false);
      c.register(selector, SelectionKey.OP_READ);
    }
    thread = Thread.ofPlatform().name("lossy-relay").daemon().start(this::run);
  }

  /** Where B is reachable for A; where A's datagrams must go. */
  InetSocketAddress addressForA() throws IOException {
    return (InetSocketAddress) sideA.getLocalAddress();
  }

  InetSocketAddress addressForB() throws IOException {
    return (InetSocketAddress) sideB.getLocalAddress();
  }

  /** Tells the relay where the peers are, so either may send first. */
  void peers(InetSocketAddress a, InetSocketAddress b) {
    peerA = a;
    peerB = b;
  }

  private void run() {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    try {
      while (running) {
        long now = System.nanoTime();
        while (!delayed.isEmpty() && delayed.peek().atNs <= now) {
          Delayed d = delayed.poll();
          d.out.send(ByteBuffer.wrap(d.data), d.to);
        }
        long waitMs = delayed.isEmpty() ? 50 : Math.max(1, (delayed.peek().atNs - now) / 1_000_000);
        selector.select(waitMs);
        selector.selectedKeys().clear();
        pump(sideA, sideB, buf, true);
        pump(sideB, sideA, buf, false);
      }
    } catch (IOException e) {
      running = false;
    }
  }

  private void pump(DatagramChannel in, DatagramChannel out, ByteBuffer buf, boolean fromA) throws IOException {
    while (true) {
      buf.clear();
      InetSocketAddress from = (InetSocketAddress) in.receive(buf);
      if (from == null) {
        return;
      }
      InetSocketAddress to = fromA ? peerB : peerA;
      if (to == null || random.nextDouble() < loss) {
        continue;
      }
      byte[] data = java.util.Arrays.copyOf(buf.array(), buf.position());
      int copies = random.nextDouble() < duplicate ? 2 : 1;
      for (int i = 0; i < copies; i++) {
        if (random.nextDouble() < reorder) {
          delayed.add(new Delayed(System.nanoTime() + 500_000 + random.nextLong(2_000_000), order++, out, to, data));
        } else {
          out.send(ByteBuffer.wrap(data), to);
        }
      }
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
