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
 * @param handshakesForwarded PEER_HANDSHAKE messages passed on between clients and servers (relayed, or answered to
 *     the client on the server's behalf), including a local server's answers
 * @param holepunchesForwarded PEER_HOLEPUNCH messages passed on
 */
public record HyperDhtStats(DhtStats dht, Map<DropReason, Long> drops, int routes, int records, int localServers,
    long handshakesForwarded, long holepunchesForwarded) {
  /** Copies the map. */
  public HyperDhtStats {
    drops = Map.copyOf(drops);
  }

  /** All drops. */
  public long totalDrops() {
    return drops.values().stream().mapToLong(Long::longValue).sum();
  }
}
