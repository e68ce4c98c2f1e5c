package io.hyperinfer.udx.internal;

import io.hyperinfer.udx.UdxException;
import io.hyperinfer.udx.wire.DecodeException;
import io.hyperinfer.udx.wire.UdxHeader;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/** Two stream cores joined by a simulated link with seeded loss, reordering and duplication, on a manual clock. */
final class SimulatedPair {
  static final long LATENCY_NS = 1_000_000L;

  /** One side: its core and what it delivered. */
  static final class Side implements StreamEvents {
    final StreamCore core;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final List<byte[]> messages = new ArrayList<>();
    final List<byte[]> sent = new ArrayList<>();
    long acked;
    int acksDeferred;
    boolean ended;
    boolean closed;
    UdxException error;
    private final SimulatedPair pair;
    Side peer;

    Side(SimulatedPair pair, int id) {
      this.pair = pair;
      this.core = new StreamCore(id, this);
    }

    @Override
    public void send(byte[] datagram, int len) {
      byte[] copy = Arrays.copyOf(datagram, len);
      sent.add(copy);
      pair.transmit(peer, copy);
    }

    @Override
    public void onData(byte[] data) {
      received.writeBytes(data);
    }

    @Override
    public void onEnd() {
      ended = true;
    }

    @Override
    public void onMessage(byte[] data) {
      messages.add(data);
    }

    @Override
    public void onAcked(int bytes) {
      acked += bytes;
    }

    @Override
    public void ackDeferred() {
      acksDeferred++;
    }

    @Override
    public void onClose(UdxException error) {
      closed = true;
      this.error = error;
    }
  }

  private record InFlight(long atNs, long order, Side to, byte[] bytes) {}

  final Side a;
  final Side b;
  long nowNs = 1_000_000_000L;
  double loss;
  double duplicate;
  double reorder;
  boolean blackhole;
  private final SplittableRandom random;
  private final PriorityQueue<InFlight> wire = new PriorityQueue<>(
      (x, y) -> x.atNs != y.atNs ? Long.compare(x.atNs, y.atNs) : Long.compare(x.order, y.order));
  private long order;
  private final UdxHeader header = new UdxHeader();

  SimulatedPair(SplittableRandom random) {
    this.random = random;
    this.a = new Side(this, 1);
    this.b = new Side(this, 2);
    a.peer = b;
    b.peer = a;
  }

  void connect() {
    a.core.connect(2, nowNs);
    b.core.connect(1, nowNs);
  }

  void transmit(Side to, byte[] bytes) {
    if (blackhole || random.nextDouble() < loss) {
      return;
    }
    int copies = random.nextDouble() < duplicate ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      long delay = LATENCY_NS + (random.nextDouble() < reorder ? random.nextLong(3 * LATENCY_NS) : 0);
      wire.add(new InFlight(nowNs + delay, order++, to, bytes));
    }
  }

  /** Runs the simulation until {@code done} or {@code maxNs} of simulated time pass; returns whether done. */
  boolean runUntil(BooleanSupplier done, long maxNs) {
    long end = nowNs + maxNs;
    while (!done.getAsBoolean()) {
      long next = Math.min(a.core.deadlineNs(), b.core.deadlineNs());
      if (!wire.isEmpty()) {
        next = Math.min(next, wire.peek().atNs);
      }
      if (next == Long.MAX_VALUE || next > end) {
        return false;
      }
      nowNs = Math.max(nowNs, next);
      while (!wire.isEmpty() && wire.peek().atNs <= nowNs) {
        InFlight f = wire.poll();
        receive(f.to, f.bytes);
      }
      a.core.flushAck(nowNs); // what arrived at the same instant is one batch, as for the loop
      b.core.flushAck(nowNs);
      for (Side s : List.of(a, b)) {
        if (s.core.deadlineNs() <= nowNs) {
          s.core.onTimer(nowNs);
        }
      }
    }
    return true;
  }

  /** One datagram as a batch of its own: processed, then the ack it may owe is timed, as the loop does. */
  void deliver(Side to, byte[] bytes) {
    receive(to, bytes);
    to.core.flushAck(nowNs);
  }

  /** Processes one datagram without the end-of-batch flush. */
  void receive(Side to, byte[] bytes) {
    try {
      to.core.onPacket(header.wrap(bytes, 0, bytes.length), nowNs);
    } catch (DecodeException e) {
      throw new AssertionError("core sent an undecodable packet", e);
    }
  }
}
