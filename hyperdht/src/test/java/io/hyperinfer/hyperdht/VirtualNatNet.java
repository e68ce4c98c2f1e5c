package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * Virtual NATs on virtual time for {@link Holepuncher} tests: each {@link Side} is a host behind a NAT of one
 * {@link Kind} with its pool sockets; table nodes on the "internet" answer pings with the mapping they see. A NAT
 * filters by exact endpoint (port-restricted): a probe gets in only to a mapping that sent to its source before.
 * Low-TTL probes open the sender's mapping and are lost. Single-threaded: everything runs in {@link #runFor}.
 */
final class VirtualNatNet {
  /** How a side's NAT maps its sockets. */
  enum Kind {
    /** No NAT: sockets are reachable at their own address. */
    OPEN,
    /** One public port per socket, whatever the destination. */
    CONSISTENT,
    /** A new public port per socket and destination. */
    RANDOM
  }

  private record Event(long at, long seq, Runnable task) {}

  private static final long HOP_MS = 5;
  private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
      : Long.compare(a.seq, b.seq));
  private final SplittableRandom random;
  private final List<Side> sides = new ArrayList<>();
  private final List<HostPort> internet = new ArrayList<>();
  private long now;
  private long seq;

  VirtualNatNet(long seed, int tableNodes) {
    this.random = new SplittableRandom(seed);
    for (int i = 1; i <= tableNodes; i++) {
      internet.add(new HostPort("9.0.0." + i, 49737));
    }
  }

  long now() {
    return now;
  }

  void later(long delayMs, Runnable task) {
    queue.add(new Event(now + delayMs, seq++, task));
  }

  /** Runs every event due within {@code ms} of virtual time. */
  void runFor(long ms) {
    long end = now + ms;
    while (!queue.isEmpty() && queue.peek().at <= end) {
      Event e = queue.poll();
      now = e.at;
      e.task.run();
    }
    now = end;
  }

  Side side(String publicHost, Kind kind) {
    Side s = new Side(publicHost, kind, random.split());
    sides.add(s);
    return s;
  }

  /** A host behind one NAT, as a puncher's {@link PunchHost}. */
  final class Side implements PunchHost {
    final String publicHost;
    final Kind kind;
    final RandomPunches throttle = new RandomPunches(RandomPunches.DEFAULT_INTERVAL_MS, Long.MIN_VALUE);
    final PunchStats stats = new PunchStats();
    final List<Socket> open = new ArrayList<>();
    private final SplittableRandom rng;
    private final Set<Integer> usedPorts = new HashSet<>();
    private int nextPort = 20_000;
    boolean dropEverything;

    Side(String publicHost, Kind kind, SplittableRandom rng) {
      this.publicHost = publicHost;
      this.kind = kind;
      this.rng = rng;
    }

    private int freshPort() {
      int p;
      do {
        p = kind == Kind.RANDOM ? 1024 + rng.nextInt(64_000) : nextPort++;
      } while (!usedPorts.add(p));
      return p;
    }

    @Override
    public long nowMs() {
      return now;
    }

    @Override
    public void schedule(long delayMs, Runnable task) {
      later(delayMs, task);
    }

    @Override
    public PunchSocket acquire(PunchSocket.ProbeListener listener) {
      Socket s = new Socket(this, freshPort(), listener);
      open.add(s);
      stats.socketsOpened.incrementAndGet();
      return s;
    }

    @Override
    public CompletableFuture<HostPort[]> ping(HostPort node, PunchSocket from) {
      CompletableFuture<HostPort[]> answer = new CompletableFuture<>();
      HostPort seen = new HostPort(publicHost, ((Socket) from).mapping(node));
      later(2 * HOP_MS, () -> answer.complete(new HostPort[] {seen, node}));
      return answer;
    }

    @Override
    public List<HostPort> tableNodes() {
      return internet;
    }

    @Override
    public boolean firewalled() {
      return kind != Kind.OPEN;
    }

    @Override
    public RandomPunches randomPunches() {
      return throttle;
    }

    @Override
    public RandomGenerator random() {
      return rng;
    }

    @Override
    public PunchStats stats() {
      return stats;
    }
  }

  /** A pool socket behind its side's NAT. */
  final class Socket implements PunchSocket {
    final Side side;
    final int localPort;
    final PunchSocket.ProbeListener listener;
    private final Map<HostPort, Integer> mappings = new HashMap<>();
    private final Set<String> permits = new HashSet<>();
    boolean released;
    int probesSent;
    int lowTtlProbes;

    Socket(Side side, int localPort, PunchSocket.ProbeListener listener) {
      this.side = side;
      this.localPort = localPort;
      this.listener = listener;
    }

    /** The public port this socket uses towards {@code to}. */
    int mapping(HostPort to) {
      return switch (side.kind) {
        case OPEN, CONSISTENT -> localPort;
        case RANDOM -> mappings.computeIfAbsent(to, t -> side.freshPort());
      };
    }

    @Override
    public DhtSocket dhtSocket() {
      return null;
    }

    @Override
    public HostPort localAddress() {
      return new HostPort("192.168.0.2", localPort);
    }

    @Override
    public void probe(HostPort to, boolean lowTtl) {
      if (released) {
        return;
      }
      probesSent++;
      int port = mapping(to);
      permits.add(port + ">" + to.host() + ":" + to.port());
      if (lowTtl) {
        lowTtlProbes++;
        return;
      }
      HostPort source = new HostPort(side.publicHost, port);
      later(HOP_MS, () -> deliver(source, to));
    }

    @Override
    public boolean wraps(Object socket) {
      return socket == this;
    }

    @Override
    public void release() {
      if (!released) {
        released = true;
        side.open.remove(this);
        side.stats.socketsClosed.incrementAndGet();
      }
    }

    /** Whether this socket's NAT lets a datagram from {@code from} in at public port {@code port}. */
    boolean admits(int port, HostPort from) {
      return !released && !side.dropEverything && switch (side.kind) {
        case OPEN -> localPort == port;
        case CONSISTENT -> localPort == port && permits.contains(port + ">" + from.host() + ":" + from.port());
        case RANDOM -> mappings.getOrDefault(from, -1) == port
            && permits.contains(port + ">" + from.host() + ":" + from.port());
      };
    }
  }

  private void deliver(HostPort from, HostPort to) {
    for (Side s : sides) {
      if (!s.publicHost.equals(to.host())) {
        continue;
      }
      for (Socket socket : List.copyOf(s.open)) {
        if (socket.admits(to.port(), from)) {
          socket.listener.onProbe(socket, from);
          return;
        }
      }
    }
  }
}
