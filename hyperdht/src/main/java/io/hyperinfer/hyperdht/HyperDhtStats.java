package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.DhtStats;
import java.util.Map;

/**
 * A snapshot of a {@link HyperDht}'s counters.
 *
 * @param dht the dht-rpc node's counters (requests, responses, timeouts, malformed datagrams...)
 * @param drops HyperDHT requests left unanswered on purpose, by reason (bad signatures, missing tokens, unknown
 *     routes...); JS is silent in each case and counts nothing
 * @param routes entries in the router (servers this node forwards handshakes to, local servers included)
 * @param records announce records held (0 until the node is persistent)
 * @param localServers servers listening on this node
 */
public record HyperDhtStats(DhtStats dht, Map<DropReason, Long> drops, int routes, int records, int localServers) {
  /** Copies the map. */
  public HyperDhtStats {
    drops = Map.copyOf(drops);
  }

  /** All drops. */
  public long totalDrops() {
    return drops.values().stream().mapToLong(Long::longValue).sum();
  }
}
