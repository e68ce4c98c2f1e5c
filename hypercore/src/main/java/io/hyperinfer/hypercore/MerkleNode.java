package io.hyperinfer.hypercore;

import io.hyperinfer.crypto.Blake2b;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One Merkle tree node: its flat-tree index, the byte size of the blocks below it and its 32-byte BLAKE2b hash.
 * Immutable.
 */
public record MerkleNode(long index, long size, byte[] hash) {
  private static final byte[] LEAF_TYPE = {0};
  private static final byte[] PARENT_TYPE = {1};

  public MerkleNode {
    if (index < 0 || size < 0 || hash == null || hash.length != Blake2b.BYTES) {
      throw HypercoreException.badArgument("a tree node needs index >= 0, size >= 0 and a 32-byte hash");
    }
    hash = hash.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  byte[] hashUnsafe() {
    return hash;
  }

  /** The leaf node of block {@code blockIndex}: hash over the leaf type, the block's size and its bytes. */
  public static MerkleNode leaf(long blockIndex, byte[] block) {
    byte[] hash = Blake2b.batch(LEAF_TYPE, Bytes.uint64(block.length), block);
    return new MerkleNode(2 * blockIndex, block.length, hash);
  }

  /** The parent of two sibling nodes (in either order): hash over the parent type, total size, left then right. */
  public static MerkleNode parent(MerkleNode a, MerkleNode b) {
    MerkleNode left = a.index < b.index ? a : b;
    MerkleNode right = left == a ? b : a;
    long size = left.size + right.size;
    byte[] hash = Blake2b.batch(PARENT_TYPE, Bytes.uint64(size), left.hash, right.hash);
    return new MerkleNode(FlatTree.parent(left.index), size, hash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MerkleNode n && n.index == index && n.size == size && Arrays.equals(n.hash, hash);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return "MerkleNode[index=" + index + ", size=" + size + ", hash=" + HexFormat.of().formatHex(hash) + "]";
  }
}
