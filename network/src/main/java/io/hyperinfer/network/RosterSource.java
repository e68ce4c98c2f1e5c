package io.hyperinfer.network;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a worker looks for newer rosters: its net facility's DHT node (worker-net-swarm's {@code DhtRosters}), the
 * in-memory net's roster board in tests, or the cache file when the facility offers neither.
 */
@FunctionalInterface
public interface RosterSource {
  /**
   * The newest roster found with a seq of at least {@code minSeq}, not yet verified (the {@link RosterBook} judges
   * it); empty when none was found or what was found was not a signed roster.
   */
  CompletableFuture<Optional<SignedRoster>> fetch(long minSeq);
}
