package io.hyperinfer.network;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Where a worker looks for newer rosters: the DHT ({@link DhtRosters}) or, in tests, anything else. */
@FunctionalInterface
public interface RosterSource {
  /**
   * The newest roster found with a seq of at least {@code minSeq}, not yet verified (the {@link RosterBook} judges
   * it); empty when none was found or what was found was not a signed roster.
   */
  CompletableFuture<Optional<SignedRoster>> fetch(long minSeq);
}
