package io.hyperinfer.udx;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One UDX instance: its loops, its sockets and the table of stream ids they share. A packet is routed by the receiver
 * id in its header to a stream of this instance, whichever of its sockets it arrives on. Every socket is served by
 * the instance's default loop (one platform thread for all of them, started when the first socket binds) unless
 * created on another loop from {@link #createLoop}. Thread-safe.
 */
public final class Udx implements AutoCloseable {
  final AtomicLong sendErrors = new AtomicLong();
  final AtomicLong badPackets = new AtomicLong();
  final AtomicLong loopFailures = new AtomicLong();
  private final ConcurrentHashMap<Integer, UdxStream> streams = new ConcurrentHashMap<>();
  private final List<UdxSocket> sockets = new CopyOnWriteArrayList<>();
  private final List<UdxLoop> loops = new CopyOnWriteArrayList<>();
  private final AtomicInteger loopCount = new AtomicInteger();
  private final LongSupplier clock;
  private final SecureRandom random = new SecureRandom();
  private final UdxLoop defaultLoop;

  private Udx(LongSupplier clock) {
    this.clock = clock;
    this.defaultLoop = createLoop();
  }

  /** An instance on the system monotonic clock. */
  public static Udx create() {
    return new Udx(System::nanoTime);
  }

  /** An instance whose loops read time from {@code nanoClock} (monotonic nanoseconds). */
  public static Udx create(LongSupplier nanoClock) {
    return new Udx(nanoClock);
  }

  /** The loop that serves this instance's sockets unless they were created on another one. */
  public UdxLoop loop() {
    return defaultLoop;
  }

  /**
   * A further loop (its own platform thread, started on first use), for spreading sockets over cores. Streams of
   * this instance may be connected through sockets of any of its loops.
   */
  public UdxLoop createLoop() {
    UdxLoop loop = new UdxLoop(this, "udx-loop-" + loopCount.getAndIncrement());
    loops.add(loop);
    return loop;
  }

  /** A new, unbound socket on the default loop. */
  public UdxSocket createSocket() {
    return createSocket(defaultLoop);
  }

  /** A new, unbound socket served by {@code loop}, which must belong to this instance. */
  public UdxSocket createSocket(UdxLoop loop) {
    if (loop.udx != this) {
      throw UdxException.badArgument("the loop belongs to another Udx instance");
    }
    UdxSocket socket = new UdxSocket(this, loop);
    sockets.add(socket);
    return socket;
  }

  /** A stream with a fresh random id that no live stream of this instance uses. */
  public UdxStream createStream() {
    while (true) {
      int id = random.nextInt();
      UdxStream stream = new UdxStream(this, id);
      if (streams.putIfAbsent(id, stream) == null) {
        return stream;
      }
    }
  }

  /** A stream with the given id; fails with BAD_ARGUMENT if a live stream has it. */
  public UdxStream createStream(int id) {
    UdxStream stream = new UdxStream(this, id);
    if (streams.putIfAbsent(id, stream) != null) {
      throw UdxException.badArgument("stream id in use: " + Integer.toUnsignedString(id));
    }
    return stream;
  }

  /** Datagrams dropped because the operating system refused them or the socket buffer was full. */
  public long sendErrors() {
    return sendErrors.get();
  }

  /** UDX-looking datagrams that failed to parse (a bad data offset). */
  public long badPackets() {
    return badPackets.get();
  }

  /** Tasks, packets or listeners that threw on a loop thread; the loop counted them and went on. */
  public long loopErrors() {
    return loopFailures.get();
  }

  /** Closes every socket, which fails their streams with SOCKET_CLOSED, and stops every loop. */
  @Override
  public void close() {
    for (UdxSocket s : sockets) {
      s.close();
    }
    for (UdxLoop loop : loops) {
      loop.close();
    }
    for (UdxStream s : streams.values()) {
      if (s.owner() == null) {
        s.destroy();
      }
    }
  }

  UdxStream stream(int id) {
    return streams.get(id);
  }

  void remove(UdxStream stream) {
    streams.remove(stream.id(), stream);
  }

  void removeSocket(UdxSocket socket) {
    sockets.remove(socket);
  }

  void removeLoop(UdxLoop loop) {
    loops.remove(loop);
  }

  Iterable<UdxStream> streams() {
    return streams.values();
  }

  long nanoTime() {
    return clock.getAsLong();
  }
}
