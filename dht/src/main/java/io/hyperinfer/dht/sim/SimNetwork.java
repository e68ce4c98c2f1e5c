package io.hyperinfer.dht.sim;

import io.hyperinfer.encoding.HostPort;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * A simulated datagram network on virtual time: a discrete-event loop that every node on it shares, with seeded
 * latency and loss, unreachable (firewalled) hosts and node kills. Whole networks of {@code DhtNode}s run in one
 * thread, deterministically for a given seed, as fast as the CPU allows. Confined to the thread that drives it
 * ({@link #runFor}, {@link #runUntil}, {@link #await}); other threads may only hand it tasks through a runtime's
 * {@code execute}.
 */
public final class SimNetwork {
  /** A deadline with a tie-breaking order; {@code owner} null for network events. */
  private record Event(long atMs, long order, SimRuntime owner, Runnable task) {}

  private final PriorityQueue<Event> events = new PriorityQueue<>(
      (a, b) -> a.atMs != b.atMs ? Long.compare(a.atMs, b.atMs) : Long.compare(a.order, b.order));
  private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private final Map<HostPort, SimRuntime.SimSocket> sockets = new HashMap<>();
  private final SplittableRandom random;
  private final Thread owner;
  private long now;
  private long order;
  private long minLatencyMs = 1;
  private long maxLatencyMs = 5;
  private double loss;
  private int hosts;
  private long delivered;
  private long dropped;

  public SimNetwork(long seed) {
    this.random = new SplittableRandom(seed);
    this.owner = Thread.currentThread();
  }

  /** One-way latency drawn uniformly from {@code [minMs, maxMs]} per datagram (default 1 .. 5 ms). */
  public SimNetwork latency(long minMs, long maxMs) {
    if (minMs < 0 || maxMs < minMs) {
      throw new IllegalArgumentException("bad latency range");
    }
    this.minLatencyMs = minMs;
    this.maxLatencyMs = maxMs;
    return this;
  }

  /** The probability that a datagram is lost (default 0). */
  public SimNetwork loss(double rate) {
    if (rate < 0 || rate >= 1) {
      throw new IllegalArgumentException("loss must be in [0, 1)");
    }
    this.loss = rate;
    return this;
  }

  /** A runtime on a fresh host {@code 10.x.y.z}, server socket on port 49737, client socket on 49738. */
  public SimRuntime runtime() {
    int n = ++hosts;
    return runtime("10." + (n >>> 16 & 0xff) + "." + (n >>> 8 & 0xff) + "." + (n & 0xff), 49737);
  }

  /** A runtime whose server socket is {@code host:serverPort}, client socket the next free port above it. */
  public SimRuntime runtime(String host, int serverPort) {
    int clientPort = serverPort + 1;
    while (sockets.containsKey(new HostPort(host, clientPort))) {
      clientPort++;
    }
    return new SimRuntime(this, host, serverPort, clientPort, new SplittableRandom(random.nextLong()));
  }

  public long nowMs() {
    return now;
  }

  /** Datagrams delivered so far. */
  public long delivered() {
    return delivered;
  }

  /** Datagrams lost, unroutable, blocked or addressed to killed nodes. */
  public long dropped() {
    return dropped;
  }

  /** Runs events for {@code ms} of virtual time. */
  public void runFor(long ms) {
    runUntil(() -> false, now + ms);
  }

  /** Runs events until {@code done} holds or {@code maxMs} of virtual time pass; returns {@code done}. */
  public boolean runFor(BooleanSupplier done, long maxMs) {
    return runUntil(done, now + maxMs);
  }

  /** Runs until {@code future} completes (at most {@code maxMs} virtual ms) and returns its value. */
  public <T> T await(CompletableFuture<T> future, long maxMs) {
    if (!runFor(future::isDone, maxMs)) {
      throw new AssertionError("not done after " + maxMs + " virtual ms");
    }
    return future.join();
  }

  private boolean runUntil(BooleanSupplier done, long deadline) {
    checkOwner();
    while (true) {
      drainInbox();
      if (done.getAsBoolean()) {
        return true;
      }
      Event e = events.peek();
      if (e == null || e.atMs > deadline) {
        now = Math.max(now, deadline); // the time passes even when nothing happens in it
        return done.getAsBoolean();
      }
      events.poll();
      now = Math.max(now, e.atMs);
      if (e.owner == null || e.owner.alive()) {
        e.task.run();
      }
    }
  }

  private void drainInbox() {
    for (Runnable r; (r = inbox.poll()) != null; ) {
      r.run();
    }
  }

  boolean isOwner() {
    return Thread.currentThread() == owner;
  }

  void at(long atMs, SimRuntime runtime, Runnable task) {
    events.add(new Event(Math.max(atMs, now), order++, runtime, task));
  }

  void fromOtherThread(Runnable task) {
    inbox.add(task);
  }

  void register(SimRuntime.SimSocket socket) {
    if (sockets.putIfAbsent(socket.localAddress(), socket) != null) {
      throw new IllegalStateException("address in use: " + socket.localAddress());
    }
  }

  void unregister(SimRuntime.SimSocket socket) {
    sockets.remove(socket.localAddress(), socket);
  }

  /** Routes one datagram: lost, unroutable or blocked ones are counted and dropped. */
  void route(SimRuntime.SimSocket from, byte[] datagram, HostPort to, long extraMs) {
    SimRuntime.SimSocket dest = sockets.get(to);
    if (dest == null || (loss > 0 && random.nextDouble() < loss)) {
      dropped++;
      return;
    }
    byte[] copy = datagram.clone();
    long latency = extraMs + minLatencyMs + (maxLatencyMs > minLatencyMs ? random.nextLong(maxLatencyMs - minLatencyMs + 1) : 0);
    HostPort source = from.localAddress();
    at(now + latency, null, () -> {
      if (dest.accepts(source)) {
        delivered++;
        dest.deliver(copy, source);
      } else {
        dropped++;
      }
    });
  }

  private void checkOwner() {
    if (!isOwner()) {
      throw new IllegalStateException("a SimNetwork runs on the thread that created it");
    }
  }
}
