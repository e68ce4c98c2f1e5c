package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Peer;
import java.util.List;

/**
 * One node's answer to a LOOKUP ({@code index.js mapLookup}): the records it holds for the topic.
 *
 * @param token the node's write token for us (what an announce to it must carry), or null
 * @param from the node; its id is set when it is persistent
 * @param to our address as the node saw it
 * @param peers the announced records (at most 20 random ones, plus the server's own record if it routes for it)
 * @param bump the topic's bump as the node stores it (0: none)
 */
public record LookupResult(byte[] token, io.hyperinfer.dht.Peer from, HostPort to, List<Peer> peers, long bump) {
  /** Copies the list. */
  public LookupResult {
    peers = List.copyOf(peers);
  }
}
