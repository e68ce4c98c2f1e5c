package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link Holepuncher} needs from its node: the clock and timers of the node loop, pool sockets, pings for NAT
 * samples, the node's table, its random-punch throttle and counters. {@link UdxPunchHost} is the real one; tests pass
 * their own on virtual time.
 */
interface PunchHost {
  long nowMs();

  /** Runs {@code task} on the node loop after {@code delayMs}. */
  void schedule(long delayMs, Runnable task);

  /** A fresh pool socket whose probes go to {@code listener}. */
  PunchSocket acquire(PunchSocket.ProbeListener listener);

  /**
   * A PING to {@code node} from {@code socket} without retries; completes with {@code {to, from}} of the answer (our
   * address as the node saw it, and the node), or exceptionally.
   */
  CompletableFuture<HostPort[]> ping(HostPort node, PunchSocket socket);

  /** The node's table, the most recently heard node first (JS {@code dht.nodes}, latest first). */
  List<HostPort> tableNodes();

  /** Whether the node is firewalled (JS {@code dht.firewalled}). */
  boolean firewalled();

  RandomPunches randomPunches();

  /** Randomness for the ports a random punch guesses. */
  java.util.random.RandomGenerator random();

  PunchStats stats();
}
