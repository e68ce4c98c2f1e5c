package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.Peer;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.dht.Session;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxException;
import io.hyperinfer.udx.UdxSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The socket pool and node services of a UDX node's punches ({@code lib/socket-pool.js}): each {@link #acquire} binds
 * a fresh UDX socket on the node's {@link Udx} (so it shares the node's loop thread, and the node's raw streams accept
 * packets on it) at the host the node is bound to, and attaches it to the node: datagrams longer than one byte go into
 * dht-rpc (the replies to rounds sent from it), one-byte ones to the puncher. A socket closes on release, or, when a
 * stream was connected through it, once that stream closes. The NAT pings sent from a socket end with it (JS sends
 * them in the connect's session): a ping whose socket is gone can never be answered, and left to time out it would
 * hold a slot of the node's congestion window for a second, so a client connecting often would queue its next
 * lookup's requests behind them for up to a 750 ms drain. Thread-safe.
 */
final class UdxPunchHost implements PunchHost {
  private final DhtNode node;
  private final Udx udx;
  private final String bindHost;
  private final RandomPunches randomPunches;
  private final PunchStats stats;

  UdxPunchHost(DhtNode node, Udx udx, RandomPunches randomPunches, PunchStats stats) {
    this.node = node;
    this.udx = udx;
    this.bindHost = node.localAddress().host();
    this.randomPunches = randomPunches;
    this.stats = stats;
  }

  @Override
  public long nowMs() {
    return node.nowMs();
  }

  @Override
  public void schedule(long delayMs, Runnable task) {
    node.execute(() -> node.schedule(delayMs, task));
  }

  @Override
  public PunchSocket acquire(PunchSocket.ProbeListener listener) {
    UdxSocket socket = udx.createSocket();
    try {
      socket.bind(new InetSocketAddress(InetAddress.ofLiteral(bindHost), 0));
    } catch (UdxException e) {
      socket.close();
      throw e;
    }
    Pooled pooled = new Pooled(socket, stats, node.session());
    pooled.dht = ExtraSocket.attach(node, socket, from -> listener.onProbe(pooled, from));
    stats.socketsOpened.incrementAndGet();
    return pooled;
  }

  @Override
  public CompletableFuture<HostPort[]> ping(HostPort to, PunchSocket from) {
    Pooled pooled = (Pooled) from;
    if (pooled.released) {
      return CompletableFuture.failedFuture(HyperDhtException.of(HyperDhtException.Code.HOLEPUNCH_ABORTED,
          "the punch socket was released"));
    }
    return node.ping(to, RequestOptions.DEFAULT.withRetry(false).withSocket(from.dhtSocket()).withSession(pooled.pings))
        .thenApply(res -> new HostPort[] {res.to(), res.from().address()});
  }

  @Override
  public List<HostPort> tableNodes() {
    return node.nodes(20).stream().map(Peer::address).toList();
  }

  @Override
  public boolean firewalled() {
    return node.firewalled();
  }

  @Override
  public RandomPunches randomPunches() {
    return randomPunches;
  }

  @Override
  public RandomGenerator random() {
    return node.runtime().random();
  }

  @Override
  public PunchStats stats() {
    return stats;
  }

  /** A pool socket. */
  static final class Pooled implements PunchSocket {
    private final UdxSocket socket;
    private final PunchStats stats;
    private final HostPort address;
    /** The NAT pings sent from this socket, cancelled when it is released. */
    private final Session pings;
    private volatile DhtSocket dht;
    private volatile boolean released;

    Pooled(UdxSocket socket, PunchStats stats, Session pings) {
      this.socket = socket;
      this.stats = stats;
      this.pings = pings;
      InetSocketAddress a = socket.localAddress();
      this.address = new HostPort(a.getAddress().getHostAddress(), a.getPort());
    }

    /** The UDX socket, for connecting a stream through it. */
    UdxSocket udx() {
      return socket;
    }

    @Override
    public DhtSocket dhtSocket() {
      return dht;
    }

    @Override
    public HostPort localAddress() {
      return address;
    }

    @Override
    public void probe(HostPort to, boolean lowTtl) {
      if (released) {
        return;
      }
      InetSocketAddress target = new InetSocketAddress(InetAddress.ofLiteral(to.host()), to.port());
      try {
        if (lowTtl) {
          try {
            socket.send(PROBE, target, LOW_TTL);
            return;
          } catch (UdxException e) {
            // no per-send TTL here (not Linux): a probe with the default TTL still opens our mapping
          }
        }
        socket.send(PROBE, target);
      } catch (UdxException | IllegalArgumentException e) {
        // a probe that cannot leave is lost, as any datagram may be
      }
    }

    @Override
    public boolean wraps(Object transportSocket) {
      return transportSocket == socket;
    }

    @Override
    public void release() {
      if (released) {
        return;
      }
      released = true;
      pings.destroy();
      // closed on its loop: a caller elsewhere (a stream's close callback) may hold locks the loop needs meanwhile
      try {
        socket.execute(socket::close);
      } catch (UdxException e) {
        socket.close(); // the loop has stopped
      }
      stats.socketsClosed.incrementAndGet();
    }
  }
}
