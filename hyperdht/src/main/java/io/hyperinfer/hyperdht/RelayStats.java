package io.hyperinfer.hyperdht;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's blind-relay counters (JS {@code dht.stats.relaying}, plus upgrades): connections that asked a relay to
 * pair them, those it paired, those it could not, relayed connections that moved to a direct path, and those that then let their relay go. Thread-safe.
 */
public final class RelayStats {
  final AtomicLong attempts = new AtomicLong();
  final AtomicLong successes = new AtomicLong();
  final AtomicLong aborts = new AtomicLong();
  final AtomicLong upgrades = new AtomicLong();
  final AtomicLong releases = new AtomicLong();

  public Snapshot snapshot() {
    return new Snapshot(attempts.get(), successes.get(), aborts.get(), upgrades.get(), releases.get());
  }

  /**
   * @param attempts pairings asked for (JS {@code relaying.attempts})
   * @param successes pairings the relay answered (JS {@code relaying.successes})
   * @param aborts pairings given up (JS {@code relaying.aborts})
   * @param upgrades relayed connections that switched to a punched or direct path (ours)
   * @param releases upgraded connections that let their relay go after the linger (ours)
   */
  public record Snapshot(long attempts, long successes, long aborts, long upgrades, long releases) {}
}
