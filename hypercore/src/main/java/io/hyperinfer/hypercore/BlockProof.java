package io.hyperinfer.hypercore;

import java.util.List;

/**
 * A block and the sibling nodes from its leaf up to the root covering it; a verifier rebuilds that root and checks it
 * against a root it trusts (or one an accompanying upgrade proof delivers). Immutable.
 */
public record BlockProof(long index, byte[] value, List<MerkleNode> nodes) {
  public BlockProof {
    if (index < 0 || value == null) {
      throw HypercoreException.badArgument("a block proof needs an index >= 0 and a value");
    }
    value = value.clone();
    nodes = List.copyOf(nodes);
  }

  @Override
  public byte[] value() {
    return value.clone();
  }
}
