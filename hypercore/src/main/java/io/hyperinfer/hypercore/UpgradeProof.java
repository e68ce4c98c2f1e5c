package io.hyperinfer.hypercore;

import java.util.List;

/**
 * Moves a verifier from length {@code start} to {@code start + length}: the nodes it needs to rebuild the new roots
 * from the roots it has, and the writer's signature over the new tree. Immutable.
 */
public record UpgradeProof(long start, long length, List<MerkleNode> nodes, byte[] signature) {
  public UpgradeProof {
    if (start < 0 || length < 0 || signature == null) {
      throw HypercoreException.badArgument("an upgrade proof needs start >= 0, length >= 0 and a signature");
    }
    nodes = List.copyOf(nodes);
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The length the verifier reaches. */
  public long end() {
    return start + length;
  }
}
