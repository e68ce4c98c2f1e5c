package io.hyperinfer.dht.udx;

import io.hyperinfer.dht.DatagramHandler;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.NodeRuntime;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.udx.NetworkInterfaces;
import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxException;
import io.hyperinfer.udx.UdxSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * A node's runtime on two UDX sockets (dht-rpc {@code io.js _bindSockets}): the server socket on the requested port
 * (or the next four, or any port), the client socket on a random one. dht-rpc datagrams arrive through each socket's
 * non-UDX handler and leave through {@link UdxSocket#send}; the node runs on the server socket's loop thread, and
 * datagrams of the client socket are handed over to it. This class is the only place that couples dht to the UDX
 * loop model. {@link #udx()} and the sockets are exposed for the streams hyperdht opens on them. Thread-safe.
 */
public final class UdxRuntime implements NodeRuntime {
  /** Ports tried from the requested one before falling back to any port (JS {@code [port, port + 5)}). */
  static final int PORT_RANGE = 5;

  private final Udx udx;
  private final boolean ownsUdx;
  private final UdxSocket server;
  private final UdxSocket client;
  private final Socket serverSocket;
  private final Socket clientSocket;
  private final RandomGenerator random = new SecureRandom();
  private final AtomicLong dropped = new AtomicLong();
  private volatile NetworkInterfaces.Source interfaceSource = NetworkInterfaces.Source.system();
  private volatile Duration interfaceInterval = NetworkInterfaces.DEFAULT_INTERVAL;
  private volatile NetworkInterfaces interfaces;
  private volatile boolean closed;

  /** One of the node's sockets. */
  private final class Socket implements DhtSocket {
    private final UdxSocket socket;
    private final HostPort address;

    Socket(UdxSocket socket) {
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
        dropped.incrementAndGet();
      }
    }

    @Override
    public String toString() {
      return "udx:" + address;
    }
  }

  private UdxRuntime(Udx udx, boolean ownsUdx, UdxSocket server, UdxSocket client) {
    this.udx = udx;
    this.ownsUdx = ownsUdx;
    this.server = server;
    this.client = client;
    this.serverSocket = new Socket(server);
    this.clientSocket = new Socket(client);
  }

  /** Binds a new UDX instance's two sockets on {@code host} (an IPv4 literal), the server socket near {@code port}. */
  public static UdxRuntime bind(String host, int port) {
    return bind(Udx.create(), true, host, port, true);
  }

  /**
   * Binds on {@code udx}: the server socket on {@code port} (0: any), else the next four ports, else (when
   * {@code anyPort}) any port; the client socket on any port. Fails with BIND_FAILED.
   */
  public static UdxRuntime bind(Udx udx, String host, int port, boolean anyPort) {
    return bind(udx, false, host, port, anyPort);
  }

  private static UdxRuntime bind(Udx udx, boolean ownsUdx, String host, int port, boolean anyPort) {
    InetAddress address;
    try {
      address = InetAddress.ofLiteral(host);
    } catch (IllegalArgumentException e) {
      throw DhtException.badArgument("host must be an IPv4 literal: " + host);
    }
    if (!(address instanceof Inet4Address)) {
      throw DhtException.badArgument("host must be an IPv4 literal: " + host);
    }
    UdxSocket server = bindServer(udx, address, port, anyPort);
    UdxSocket client;
    try {
      client = udx.createSocket().bind(new InetSocketAddress(address, 0));
    } catch (UdxException e) {
      server.close();
      throw DhtException.bindFailed("cannot bind the client socket on " + host, e);
    }
    return new UdxRuntime(udx, ownsUdx, server, client);
  }

  private static UdxSocket bindServer(Udx udx, InetAddress address, int port, boolean anyPort) {
    int last = port == 0 ? 0 : Math.min(0xffff, port + PORT_RANGE - 1);
    UdxException failure = null;
    for (int p = port; p <= last; p++) {
      UdxSocket s = udx.createSocket();
      try {
        return s.bind(new InetSocketAddress(address, p));
      } catch (UdxException e) {
        s.close();
        failure = e;
        if (!anyPort) {
          break;
        }
      }
    }
    if (!anyPort) {
      throw DhtException.bindFailed("cannot bind " + address.getHostAddress() + ":" + port, failure);
    }
    UdxSocket s = udx.createSocket();
    try {
      return s.bind(new InetSocketAddress(address, 0));
    } catch (UdxException e) {
      s.close();
      throw DhtException.bindFailed("cannot bind the server socket on " + address.getHostAddress(), e);
    }
  }

  /** The UDX instance whose sockets the node uses; hyperdht opens its streams on it. */
  public Udx udx() {
    return udx;
  }

  /** The server socket as a UDX socket (the one JS {@code dht.io.serverSocket} is). */
  public UdxSocket udxServerSocket() {
    return server;
  }

  /** The client socket as a UDX socket. */
  public UdxSocket udxClientSocket() {
    return client;
  }

  /** The {@link DhtSocket} view of {@code socket}, if it is one of this runtime's. */
  public DhtSocket dhtSocket(UdxSocket socket) {
    return socket == server ? serverSocket : socket == client ? clientSocket : null;
  }

  /**
   * Where {@link #watchNetwork} reads the interfaces and how often (default: the machine's, every 5 s, as udx-native).
   * Takes effect for a watch started after it, so set it before the node is created on this runtime.
   */
  public UdxRuntime watchInterfaces(NetworkInterfaces.Source source, Duration interval) {
    this.interfaceSource = Objects.requireNonNull(source, "source");
    this.interfaceInterval = Objects.requireNonNull(interval, "interval");
    return this;
  }

  /** The interfaces as of the watcher's last poll; empty before the node started watching. */
  public List<NetworkInterfaces.Address> networkInterfaces() {
    NetworkInterfaces w = interfaces;
    return w == null ? List.of() : w.interfaces();
  }

  @Override
  public synchronized void watchNetwork(Runnable onChange) {
    if (closed || interfaces != null) {
      return;
    }
    interfaces = NetworkInterfaces.watch(server.loop(), interfaceSource, interfaceInterval, list -> onChange.run());
  }

  /** Datagrams that could not be sent, or came from a non-IPv4 source. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public DhtSocket serverSocket() {
    return serverSocket;
  }

  @Override
  public DhtSocket clientSocket() {
    return clientSocket;
  }

  @Override
  public long nowMs() {
    return System.nanoTime() / 1_000_000;
  }

  @Override
  public long wallMs() {
    return System.currentTimeMillis();
  }

  @Override
  public RandomGenerator random() {
    return random;
  }

  @Override
  public boolean inLoop() {
    return server.inLoop();
  }

  @Override
  public void execute(Runnable task) {
    server.execute(task);
  }

  @Override
  public void schedule(long delayMs, Runnable task) {
    try {
      server.schedule(Duration.ofMillis(delayMs), task);
    } catch (UdxException closed) {
      // the node is closing; its timers no longer matter
    }
  }

  @Override
  public void start(DatagramHandler handler) {
    server.onNonUdxPacket((socket, data, from) -> deliver(handler, serverSocket, data, from));
    client.onNonUdxPacket((socket, data, from) -> server.execute(() -> deliver(handler, clientSocket, data, from)));
  }

  private void deliver(DatagramHandler handler, Socket socket, byte[] data, InetSocketAddress from) {
    if (!(from.getAddress() instanceof Inet4Address v4)) {
      dropped.incrementAndGet();
      return;
    }
    handler.onDatagram(socket, data, new HostPort(v4.getHostAddress(), from.getPort()));
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (interfaces != null) {
        interfaces.close();
      }
    }
    client.close();
    server.close();
    if (ownsUdx) {
      udx.close();
    }
  }

  @Override
  public String toString() {
    return "UdxRuntime[" + serverSocket.localAddress() + ", client " + clientSocket.localAddress() + "]";
  }
}
