package io.hyperinfer.hypercore;

import java.util.List;

/**
 * A signed point in a core's history: fork id, length, byte length, the Merkle roots at that length and the
 * signature over them. Immutable.
 */
public record TreeState(long fork, long length, long byteLength, List<MerkleNode> roots, byte[] signature) {
  public TreeState {
    roots = List.copyOf(roots);
    signature = signature == null ? null : signature.clone();
  }

  static TreeState empty() {
    return new TreeState(0, 0, 0, List.of(), null);
  }

  @Override
  public byte[] signature() {
    return signature == null ? null : signature.clone();
  }

  /** BLAKE2b over the roots: the value the signature commits to. */
  public byte[] treeHash() {
    return CoreCrypto.treeHash(roots);
  }
}
