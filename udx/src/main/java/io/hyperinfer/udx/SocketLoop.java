package io.hyperinfer.udx;

import io.hyperinfer.udx.wire.DecodeException;
import io.hyperinfer.udx.wire.UdxHeader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one platform thread of a UDP socket. It owns the channel, every stream attached to the socket, and a timer
 * queue; it reads the clock once per cycle. Other threads reach it only through {@link #execute}, an MPSC queue
 * plus a selector wakeup. Thread-safe entry points: {@link #execute}, {@link #sendRaw}, {@link #close}.
 */
final class SocketLoop implements Runnable {
  private static final int SOCKET_BUFFER = 8 << 20;
  private static final int MAX_READS_PER_CYCLE = 256;

  final Udx udx;
  final UdxSocket socket;
  final DatagramChannel channel;
  final TimerQueue timers = new TimerQueue();
  final AtomicLong nonUdxDrops = new AtomicLong();
  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final ByteBuffer receiveBuffer = ByteBuffer.allocate(1 << 16);
  private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(1 << 16);
  private final UdxHeader header = new UdxHeader();
  private final java.util.ArrayList<StreamBuffers> toWake = new java.util.ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private long nowNs;

  SocketLoop(Udx udx, UdxSocket socket, InetSocketAddress bindTo) throws IOException {
    this.udx = udx;
    this.socket = socket;
    this.channel = DatagramChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
      channel.bind(bindTo);
      channel.configureBlocking(false);
      this.selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    this.nowNs = udx.nanoTime();
    this.thread = Thread.ofPlatform().name("udx-socket-" + channel.getLocalAddress()).daemon().unstarted(this);
    thread.start();
  }

  private static final ThreadLocal<Boolean> LOOP_THREAD = ThreadLocal.withInitial(() -> false);

  /** Whether the caller is any socket loop's thread (which must never block waiting on another loop). */
  static boolean onAnyLoop() {
    return LOOP_THREAD.get();
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** The time of the current loop cycle. Loop thread only. */
  long nowNs() {
    return nowNs;
  }

  /** Runs {@code command} on the loop: now if called from the loop, else after a wakeup. */
  void execute(Runnable command) {
    if (inLoop()) {
      command.run();
      return;
    }
    if (!running) {
      throw UdxException.socketClosed();
    }
    commands.add(command);
    if (wakeupPending.compareAndSet(false, true)) {
      selector.wakeup();
    }
  }

  /** Sends one datagram from the loop thread. A full socket buffer drops it, as the network would. */
  void send(byte[] data, int len, InetSocketAddress to) {
    sendBuffer.clear();
    sendBuffer.put(data, 0, len).flip();
    try {
      if (channel.send(sendBuffer, to) == 0) {
        udx.sendErrors.incrementAndGet(); // socket buffer full: dropped, retransmission repairs it
      }
    } catch (ClosedChannelException e) {
      running = false;
    } catch (IOException e) {
      udx.sendErrors.incrementAndGet();
    }
  }

  /** Sends a datagram from any thread (DatagramChannel serialises concurrent sends). */
  void sendRaw(byte[] data, InetSocketAddress to) {
    try {
      channel.send(ByteBuffer.wrap(data), to);
    } catch (IOException e) {
      throw UdxException.socketFailed("send to " + to + " failed", e);
    }
  }

  @Override
  public void run() {
    LOOP_THREAD.set(true);
    try {
      while (running) {
        nowNs = udx.nanoTime();
        runCommands();
        timers.runDue(nowNs, this::guarded);
        wakeReaders();
        waitForWork();
        nowNs = udx.nanoTime();
        readDatagrams();
        wakeReaders();
      }
    } catch (IOException | RuntimeException e) {
      udx.loopFailures.incrementAndGet();
    } finally {
      running = false;
      shutdown();
    }
  }

  void close() {
    running = false;
    selector.wakeup();
    if (!inLoop()) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Registers buffers whose readers or writers wait for the end of this cycle's batch. */
  void wakeUpAfterBatch(StreamBuffers buffers) {
    toWake.add(buffers);
  }

  private void wakeReaders() {
    for (int i = 0; i < toWake.size(); i++) {
      toWake.get(i).wakeUp();
    }
    toWake.clear();
  }

  private void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      udx.loopFailures.incrementAndGet();
    }
  }

  private void runCommands() {
    wakeupPending.set(false);
    for (Runnable c; (c = commands.poll()) != null; ) {
      guarded(c);
    }
  }

  private void waitForWork() throws IOException {
    if (!commands.isEmpty()) {
      selector.selectNow();
      return;
    }
    long next = timers.nextNs();
    if (next <= nowNs) {
      selector.selectNow();
      return;
    }
    long ms = next == Long.MAX_VALUE ? 0 : Math.max(1, (next - nowNs + 999_999) / 1_000_000);
    selector.select(ms);
  }

  private void readDatagrams() throws IOException {
    selector.selectedKeys().clear();
    for (int i = 0; i < MAX_READS_PER_CYCLE && running; i++) {
      receiveBuffer.clear();
      InetSocketAddress from = (InetSocketAddress) channel.receive(receiveBuffer);
      if (from == null) {
        return;
      }
      try {
        onDatagram(receiveBuffer.array(), receiveBuffer.position(), from);
      } catch (RuntimeException e) {
        udx.loopFailures.incrementAndGet(); // one bad packet or listener must not stop the socket
      }
    }
  }

  private void onDatagram(byte[] buf, int len, InetSocketAddress from) {
    if (!UdxHeader.isUdx(buf, 0, len)) {
      socket.deliverNonUdx(Arrays.copyOf(buf, len), from);
      return;
    }
    UdxStream stream = udx.stream(headerId(buf, len));
    if (stream == null || !stream.acceptsPackets()) {
      socket.deliverNonUdx(Arrays.copyOf(buf, len), from);
      return;
    }
    SocketLoop owner = stream.owner();
    if (owner == this) {
      process(stream, buf, len, from, socket);
    } else if (owner == null) {
      stream.firstPacket(this, Arrays.copyOf(buf, len), from);
    } else {
      byte[] copy = Arrays.copyOf(buf, len);
      owner.execute(() -> owner.process(stream, copy, copy.length, from, socket));
    }
  }

  /** Processes a packet for a stream this loop owns; {@code via} is the socket it arrived on. */
  void process(UdxStream stream, byte[] buf, int len, InetSocketAddress from, UdxSocket via) {
    try {
      header.wrap(buf, 0, len);
    } catch (DecodeException e) {
      udx.badPackets.incrementAndGet();
      return;
    }
    stream.onPacket(header, from, via);
  }

  private static int headerId(byte[] buf, int len) {
    return (buf[4] & 0xFF) | (buf[5] & 0xFF) << 8 | (buf[6] & 0xFF) << 16 | (buf[7] & 0xFF) << 24;
  }

  private void shutdown() {
    socket.onLoopStopped();
    try {
      selector.close();
      channel.close();
    } catch (IOException ignored) {
      // closing anyway; nothing useful to do
    }
  }
}
