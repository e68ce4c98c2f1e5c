package io.hyperinfer.dht;

import java.util.random.RandomGenerator;

/**
 * The world a node lives in: one loop thread, its clock and timers, a source of randomness, and the node's two bound
 * sockets. The protocol core does no I/O of its own; everything enters and leaves through this seam, so the same
 * core runs on real UDX sockets ({@code io.hyperinfer.dht.udx.UdxRuntime}) and on a simulated network with virtual
 * time ({@code io.hyperinfer.dht.sim.SimNetwork}). Implementations are thread-safe.
 */
public interface NodeRuntime extends AutoCloseable {
  /** The socket that carries the node's id when it is persistent (JS {@code io.serverSocket}). */
  DhtSocket serverSocket();

  /** The socket firewalled and ephemeral nodes send from (JS {@code io.clientSocket}). */
  DhtSocket clientSocket();

  /** The loop's monotonic clock in milliseconds (virtual in simulations). */
  long nowMs();

  /** Wall-clock milliseconds, used only to notice that the process slept (a tick gap above 15 s). */
  long wallMs();

  /** Randomness for tids, ids, secrets and jitter: secure in real runtimes, seeded in simulations. */
  RandomGenerator random();

  /** Whether the caller runs on the loop thread. */
  boolean inLoop();

  /** Runs {@code task} on the loop thread, after the tasks already queued. */
  void execute(Runnable task);

  /** Runs {@code task} on the loop thread once {@code delayMs} have passed; not cancellable. */
  void schedule(long delayMs, Runnable task);

  /** Starts delivering inbound datagrams of both sockets (and nothing before this call) to {@code handler}. */
  void start(DatagramHandler handler);

  /**
   * Starts telling {@code onChange} (on any thread) when the machine's network interfaces change (dht-rpc's
   * {@code io.networkInterfaces} watcher); stops at {@link #close}. Runtimes without real interfaces (simulations)
   * never call it.
   */
  default void watchNetwork(Runnable onChange) {}

  /** Closes the sockets and stops the loop; idempotent. */
  @Override
  void close();
}
