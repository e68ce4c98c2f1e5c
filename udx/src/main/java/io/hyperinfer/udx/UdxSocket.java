package io.hyperinfer.udx;

import io.hyperinfer.udx.wire.DecodeException;
import io.hyperinfer.udx.wire.UdxHeader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP socket shared by UDX streams and whatever else speaks on the same port (dht-rpc). It is served by one
 * {@link UdxLoop} (its {@link Udx}'s default loop unless created on another), which receives its datagrams,
 * demultiplexes them and runs the streams connected through it. Thread-safe.
 */
public final class UdxSocket implements AutoCloseable {
  private static final int SOCKET_BUFFER = 8 << 20;
  private static final int MAX_READS_PER_BATCH = 256;

  private final Udx udx;
  private final UdxLoop loop;
  private final AtomicLong nonUdxDrops = new AtomicLong();
  private final Object sendLock = new Object();
  private volatile DatagramChannel channel;
  private volatile InetSocketAddress localAddress;
  private volatile NonUdxHandler nonUdx = NonUdxHandler.IGNORE;
  private volatile boolean closed;
  private SelectionKey key;
  private SocketTtl ttl;
  /** The socket's descriptor for a leader's poll: not looked up yet (-2), unknown (-1), or found. */
  private volatile int descriptor = -2;

  UdxSocket(Udx udx, UdxLoop loop) {
    this.udx = udx;
    this.loop = loop;
  }

  /** Binds to 127.0.0.1 on an ephemeral port. */
  public UdxSocket bind() {
    return bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /** Binds to {@code address}; from then on the loop serves this socket (starting the loop thread if needed). */
  public UdxSocket bind(InetSocketAddress address) {
    synchronized (this) {
      if (closed) {
        throw UdxException.socketClosed();
      }
      if (channel != null) {
        throw UdxException.badState("socket already bound");
      }
      channel = open(address);
    }
    // outside the monitor: a loop task closing this socket meanwhile must not wait for us while we wait for the loop
    loop.call(() -> {
      try {
        key = loop.register(this);
      } catch (IOException e) {
        throw UdxException.socketFailed("cannot register " + localAddress + " with " + loop, e);
      }
    });
    return this;
  }

  private DatagramChannel open(InetSocketAddress address) {
    DatagramChannel opened;
    try {
      opened = DatagramChannel.open();
      try {
        opened.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
        opened.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
        opened.bind(address);
        opened.configureBlocking(false);
        localAddress = (InetSocketAddress) opened.getLocalAddress();
      } catch (IOException e) {
        opened.close();
        throw e;
      }
    } catch (IOException e) {
      throw UdxException.socketFailed("cannot bind " + address, e);
    }
    return opened;
  }

  /** The bound address (port resolved if 0 was asked for). */
  public InetSocketAddress localAddress() {
    InetSocketAddress a = localAddress;
    if (a == null) {
      throw UdxException.badState("socket is not bound");
    }
    return a;
  }

  /** The loop that serves this socket. */
  public UdxLoop loop() {
    return loop;
  }

  /**
   * Installs the handler for datagrams that are not for a live UDX stream (dht-rpc messages, stray UDX packets).
   * It runs on the loop thread.
   */
  public void onNonUdxPacket(NonUdxHandler handler) {
    this.nonUdx = handler;
  }

  /** Sends one raw datagram now (for protocols sharing the socket). Thread-safe. */
  public void send(byte[] datagram, InetSocketAddress to) {
    DatagramChannel c = channel();
    try {
      synchronized (sendLock) {
        c.send(ByteBuffer.wrap(datagram), to);
      }
    } catch (IOException e) {
      throw UdxException.socketFailed("send to " + to + " failed", e);
    }
  }

  /**
   * Sends one raw datagram whose IP time-to-live (IPv6: hop limit) is {@code ttl} instead of the system default,
   * as holepunching's low-TTL probes need: it opens the sender's NAT mapping but dies before reaching a peer's NAT.
   * Java has no per-packet TTL, so the socket's TTL is set for this one send and restored, with other sends held
   * back meanwhile. Linux only; elsewhere it fails with SOCKET_FAILED. Thread-safe.
   */
  public void send(byte[] datagram, InetSocketAddress to, int ttl) {
    if (ttl < 1 || ttl > 255) {
      throw UdxException.badArgument("ttl must be 1..255: " + ttl);
    }
    DatagramChannel c = channel();
    synchronized (sendLock) {
      if (this.ttl == null) {
        this.ttl = SocketTtl.of(c, localAddress);
      }
      this.ttl.sendWith(ttl, () -> c.send(ByteBuffer.wrap(datagram), to));
    }
  }

  /** Runs {@code task} on the loop thread, where protocol state sharing the socket lives. */
  public void execute(Runnable task) {
    boundLoop().execute(task);
  }

  /** Runs {@code task} on the loop thread after {@code delay}. */
  public void schedule(Duration delay, Runnable task) {
    boundLoop().schedule(delay, task);
  }

  /** Whether the caller runs on this socket's loop thread. */
  public boolean inLoop() {
    return loop.inLoop();
  }

  /** Closes the channel and fails the streams connected through it with SOCKET_CLOSED. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (channel == null) {
      udx.removeSocket(this);
      return;
    }
    try {
      loop.call(this::closeOnLoop);
    } catch (UdxException e) {
      closeOnLoop(); // the loop has stopped: nothing else touches the socket now
    }
  }

  /** The socket's file descriptor, found once on first use; -1 where it cannot be had (not Linux, closed). */
  int descriptor() {
    int fd = descriptor;
    if (fd == -2) {
      synchronized (this) {
        if (descriptor == -2) {
          DatagramChannel c = channel;
          descriptor = c == null || closed ? -1 : SocketTtl.descriptorOf(c, localAddress);
        }
        fd = descriptor;
      }
    }
    return fd;
  }

  public boolean closed() {
    return closed;
  }

  /** Datagrams the non-UDX handler threw on. */
  long nonUdxDrops() {
    return nonUdxDrops.get();
  }

  // ---- loop side ----

  DatagramChannel channel() {
    DatagramChannel c = channel;
    if (c == null) {
      throw UdxException.badState("socket is not bound");
    }
    return c;
  }

  private UdxLoop boundLoop() {
    channel();
    return loop;
  }

  /** Sends a stream's datagram; the loop's owner only. A full socket buffer drops it, as the network would. */
  void sendOwned(byte[] data, int len, InetSocketAddress to) {
    ByteBuffer buffer = loop.sendBuffer;
    buffer.clear();
    buffer.put(data, 0, len).flip();
    try {
      int sent;
      synchronized (sendLock) {
        sent = channel.send(buffer, to);
      }
      if (sent == 0) {
        udx.sendErrors.incrementAndGet(); // socket buffer full: dropped, retransmission repairs it
      }
    } catch (ClosedChannelException e) {
      udx.sendErrors.incrementAndGet();
    } catch (IOException e) {
      udx.sendErrors.incrementAndGet();
    }
  }

  /** Reads what the socket holds (up to a batch); loop thread. */
  void readDatagrams(UdxLoop owner) {
    ByteBuffer buffer = owner.receiveBuffer;
    for (int i = 0; i < MAX_READS_PER_BATCH && !closed; i++) {
      buffer.clear();
      InetSocketAddress from;
      try {
        from = (InetSocketAddress) channel.receive(buffer);
      } catch (IOException e) {
        udx.loopFailures.incrementAndGet();
        return;
      }
      if (from == null) {
        return;
      }
      try {
        onDatagram(owner, buffer.array(), buffer.position(), from);
      } catch (RuntimeException e) {
        udx.loopFailures.incrementAndGet(); // one bad packet or listener must not stop the socket
      }
    }
  }

  private void onDatagram(UdxLoop owner, byte[] buf, int len, InetSocketAddress from) {
    if (!UdxHeader.isUdx(buf, 0, len)) {
      deliverNonUdx(Arrays.copyOf(buf, len), from);
      return;
    }
    UdxStream stream = udx.stream(headerId(buf));
    if (stream == null || !stream.acceptsPackets()) {
      deliverNonUdx(Arrays.copyOf(buf, len), from);
      return;
    }
    UdxLoop streamLoop = stream.owner();
    if (streamLoop == owner) {
      process(owner, stream, buf, len, from);
    } else if (streamLoop == null) {
      stream.firstPacket(this, Arrays.copyOf(buf, len), from);
    } else {
      byte[] copy = Arrays.copyOf(buf, len);
      streamLoop.execute(() -> process(streamLoop, stream, copy, copy.length, from));
    }
  }

  /** Processes a packet for a stream {@code owner} owns; it arrived on this socket. */
  void process(UdxLoop owner, UdxStream stream, byte[] buf, int len, InetSocketAddress from) {
    UdxHeader header = owner.header;
    try {
      header.wrap(buf, 0, len);
    } catch (DecodeException e) {
      udx.badPackets.incrementAndGet();
      return;
    }
    stream.onPacket(header, from, this);
  }

  private void deliverNonUdx(byte[] data, InetSocketAddress from) {
    try {
      nonUdx.onPacket(this, data, from);
    } catch (RuntimeException e) {
      nonUdxDrops.incrementAndGet();
      udx.loopFailures.incrementAndGet();
    }
  }

  private static int headerId(byte[] buf) {
    return (buf[4] & 0xFF) | (buf[5] & 0xFF) << 8 | (buf[6] & 0xFF) << 16 | (buf[7] & 0xFF) << 24;
  }

  /** Closes the channel and fails the streams sending through this socket; the loop's owner. */
  void closeOnLoop() {
    closed = true;
    if (key != null) {
      key.cancel();
      loop.deregister(this);
    }
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // closing anyway; nothing useful to do
    }
    for (UdxStream s : udx.streams()) {
      if (s.socket() == this) {
        s.onSocketClosed();
      }
    }
    udx.removeSocket(this);
  }
}
