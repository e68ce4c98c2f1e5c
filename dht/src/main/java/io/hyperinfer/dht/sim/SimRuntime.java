package io.hyperinfer.dht.sim;

import io.hyperinfer.dht.DatagramHandler;
import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.NodeRuntime;
import io.hyperinfer.encoding.HostPort;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One node's place on a {@link SimNetwork}: two sockets on its host, the network's virtual clock and event loop,
 * and a seeded random generator. {@link #firewalled(boolean)} makes it unreachable except from addresses it sent to
 * (a port-restricted NAT); {@link #kill()} takes it off the network at once, as a crashed process.
 */
public final class SimRuntime implements NodeRuntime {
  /** A simulated socket. */
  final class SimSocket implements DhtSocket {
    private final HostPort address;
    private final Set<HostPort> contacted = new HashSet<>();

    SimSocket(HostPort address) {
      this.address = address;
    }

    @Override
    public HostPort localAddress() {
      return address;
    }

    @Override
    public void send(byte[] datagram, HostPort to) {
      if (!alive()) {
        return;
      }
      if (firewalled && contacted.size() < 65536) {
        contacted.add(to);
      }
      network.route(this, datagram, to, extraLatencyMs);
    }

    boolean accepts(HostPort source) {
      return alive() && (!firewalled || contacted.contains(source));
    }

    void deliver(byte[] data, HostPort from) {
      DatagramHandler h = handler;
      if (h != null) {
        h.onDatagram(this, data, from);
      }
    }

    @Override
    public String toString() {
      return "sim:" + address;
    }
  }

  private final SimNetwork network;
  private final SimSocket server;
  private final SimSocket client;
  private final SplittableRandom random;
  private DatagramHandler handler;
  private boolean firewalled;
  private boolean closed;
  private long extraLatencyMs;
  private long wallSkewMs;

  SimRuntime(SimNetwork network, String host, int serverPort, int clientPort, SplittableRandom random) {
    this.network = network;
    this.random = random;
    this.server = new SimSocket(new HostPort(host, serverPort));
    this.client = new SimSocket(new HostPort(host, clientPort));
    network.register(server);
    network.register(client);
  }

  /** Drop datagrams from addresses this node has not sent to (on each socket separately). */
  public SimRuntime firewalled(boolean on) {
    this.firewalled = on;
    return this;
  }

  /** Adds {@code ms} to the latency of every datagram this node sends (a slow or distant node). */
  public SimRuntime extraLatency(long ms) {
    this.extraLatencyMs = ms;
    return this;
  }

  /** Moves this node's wall clock forward by {@code ms}, as if its process had slept that long. */
  public void sleepWallClock(long ms) {
    wallSkewMs += ms;
  }

  /** Takes the node off the network: nothing more is delivered, sent or run for it. */
  public void kill() {
    close();
  }

  public SimNetwork network() {
    return network;
  }

  boolean alive() {
    return !closed;
  }

  @Override
  public DhtSocket serverSocket() {
    return server;
  }

  @Override
  public DhtSocket clientSocket() {
    return client;
  }

  @Override
  public long nowMs() {
    return network.nowMs();
  }

  @Override
  public long wallMs() {
    return network.nowMs() + wallSkewMs;
  }

  @Override
  public RandomGenerator random() {
    return random;
  }

  @Override
  public boolean inLoop() {
    return network.isOwner();
  }

  @Override
  public void execute(Runnable task) {
    if (network.isOwner()) {
      network.at(network.nowMs(), this, task);
    } else {
      network.fromOtherThread(() -> network.at(network.nowMs(), this, task));
    }
  }

  @Override
  public void schedule(long delayMs, Runnable task) {
    network.at(network.nowMs() + delayMs, this, task);
  }

  @Override
  public void start(DatagramHandler datagrams) {
    this.handler = datagrams;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    network.unregister(server);
    network.unregister(client);
  }

  @Override
  public String toString() {
    return "SimRuntime[" + server.localAddress() + "]";
  }
}
