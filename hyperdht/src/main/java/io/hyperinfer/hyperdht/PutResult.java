package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.Peer;
import java.util.List;
import java.util.Map;

/**
 * What a {@link HyperDht#mutablePut} or {@link HyperDht#immutablePut} did.
 *
 * @param target where the value is stored: {@code hash(value)} for an immutable value, {@code hash(publicKey)} for a
 *     mutable one
 * @param seq the mutable value's sequence number (0 for an immutable value)
 * @param signature the mutable value's signature (null for an immutable value)
 * @param closestNodes the nodes the value was offered to, closest first
 * @param stored how many of them stored it
 * @param refusals the nodes that answered with an error, and the error ({@link PeerError#SEQ_REUSED},
 *     {@link PeerError#SEQ_TOO_LOW} or dht-rpc's)
 */
public record PutResult(byte[] target, long seq, byte[] signature, List<Peer> closestNodes, int stored,
    Map<Peer, Long> refusals) {
  /** Copies the collections. */
  public PutResult {
    closestNodes = List.copyOf(closestNodes);
    refusals = Map.copyOf(refusals);
  }
}
