package io.hyperinfer.udx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A UDP socket shared by UDX streams and whatever else speaks on the same port (dht-rpc). Binding starts its loop:
 * one platform thread that receives, demultiplexes, runs timers and owns the state of every stream connected
 * through it. Thread-safe.
 */
public final class UdxSocket implements AutoCloseable {
  private final Udx udx;
  private volatile SocketLoop loop;
  private volatile NonUdxHandler nonUdx = NonUdxHandler.IGNORE;
  private volatile boolean closed;

  UdxSocket(Udx udx) {
    this.udx = udx;
  }

  /** Binds to 127.0.0.1 on an ephemeral port. */
  public UdxSocket bind() {
    return bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /** Binds to {@code address} and starts the loop thread. */
  public synchronized UdxSocket bind(InetSocketAddress address) {
    if (closed) {
      throw UdxException.socketClosed();
    }
    if (loop != null) {
      throw UdxException.badState("socket already bound");
    }
    try {
      loop = new SocketLoop(udx, this, address);
    } catch (IOException e) {
      throw UdxException.socketFailed("cannot bind " + address, e);
    }
    return this;
  }

  /** The bound address (port resolved if 0 was asked for). */
  public InetSocketAddress localAddress() {
    try {
      return (InetSocketAddress) loop().channel.getLocalAddress();
    } catch (IOException e) {
      throw UdxException.socketFailed("socket has no address", e);
    }
  }

  /**
   * Installs the handler for datagrams that are not for a live UDX stream (dht-rpc messages, stray UDX packets).
   * It runs on the loop thread.
   */
  public void onNonUdxPacket(NonUdxHandler handler) {
    this.nonUdx = handler;
  }

  /** Sends one raw datagram (for protocols sharing the socket). Thread-safe. */
  public void send(byte[] datagram, InetSocketAddress to) {
    loop().sendRaw(datagram, to);
  }

  /** Runs {@code task} on the socket's loop thread, where protocol state sharing the socket lives. */
  public void execute(Runnable task) {
    loop().execute(task);
  }

  /** Runs {@code task} on the loop thread after {@code delay}. */
  public void schedule(Duration delay, Runnable task) {
    SocketLoop l = loop();
    l.execute(() -> l.timers.schedule(l.nowNs() + delay.toNanos(), task));
  }

  /** Whether the caller runs on this socket's loop thread. */
  public boolean inLoop() {
    SocketLoop l = loop;
    return l != null && l.inLoop();
  }

  /** Stops the loop, closes the channel and fails the streams it owns with SOCKET_CLOSED. Idempotent. */
  @Override
  public void close() {
    SocketLoop l;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      l = loop;
    }
    if (l != null) {
      l.close();
    }
    udx.removeSocket(this);
  }

  public boolean closed() {
    return closed;
  }

  SocketLoop loop() {
    SocketLoop l = loop;
    if (l == null) {
      throw UdxException.badState("socket is not bound");
    }
    return l;
  }

  void deliverNonUdx(byte[] data, InetSocketAddress from) {
    try {
      nonUdx.onPacket(this, data, from);
    } catch (RuntimeException e) {
      loop.nonUdxDrops.incrementAndGet();
    }
  }

  /** Called on the loop thread as it exits. */
  void onLoopStopped() {
    closed = true;
    for (UdxStream s : udx.streams()) {
      if (s.owner() == loop) {
        s.onSocketClosed();
      }
    }
  }
}
