package io.hyperinfer.worker.net.memory;

import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.RosterSource;
import io.hyperinfer.network.SignedRoster;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The in-memory net's stand-in for the rosters HyperDHT stores as mutable records: one roster per network, replaced
 * only by a higher seq (as DHT nodes refuse a lower one). Like the rest of the in-memory net it proves nothing: it
 * keeps whatever is published, signed or not, and the worker's {@code RosterBook} judges what it fetches. At most
 * {@link #MAX_NETWORKS} networks. Thread-safe.
 */
public final class MemoryRosters {
  /** How many networks one in-memory net holds rosters for. */
  public static final int MAX_NETWORKS = 64;

  private final ConcurrentMap<String, SignedRoster> byNetwork = new ConcurrentHashMap<>();

  /**
   * Stores {@code roster} under the network it names unless one with the same or a higher seq is there; true when
   * stored. Fails with IllegalStateException beyond {@link #MAX_NETWORKS} networks.
   */
  public boolean publish(SignedRoster roster) {
    String network = roster.roster().network();
    if (!byNetwork.containsKey(network) && byNetwork.size() >= MAX_NETWORKS) {
      throw new IllegalStateException("the in-memory net holds rosters of at most " + MAX_NETWORKS + " networks");
    }
    boolean[] stored = {false};
    byNetwork.compute(network, (k, old) -> {
      stored[0] = old == null || roster.roster().seq() > old.roster().seq();
      return stored[0] ? roster : old;
    });
    return stored[0];
  }

  /** What a facility fetches for {@code network}: the stored roster when its seq is at least {@code minSeq}. */
  RosterSource source(NetworkKey network) {
    String hex = network.hex();
    return minSeq -> CompletableFuture.completedFuture(Optional.ofNullable(byNetwork.get(hex))
        .filter(r -> r.roster().seq() >= minSeq));
  }
}
