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
  private static final byte LEAF = 0;
  private static final byte PARENT = 1;
  /** Up to this size a leaf's input is copied into one buffer: one native call beats a streaming hash state. */
  private static final int SMALL_BLOCK = 4096;

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
    byte[] hash;
    if (block.length <= SMALL_BLOCK) {
      byte[] input = new byte[9 + block.length];
      input[0] = LEAF;
      Bytes.putUint64(input, 1, block.length);
      System.arraycopy(block, 0, input, 9, block.length);
      hash = Blake2b.hash(input);
    } else {
      hash = Blake2b.batch(LEAF_TYPE, Bytes.uint64(block.length), block);
    }
    return new MerkleNode(2 * blockIndex, block.length, hash);
  }

  /** The parent of two sibling nodes (in either order): hash over the parent type, total size, left then right. */
  public static MerkleNode parent(MerkleNode a, MerkleNode b) {
    MerkleNode left = a.index < b.index ? a : b;
    MerkleNode right = left == a ? b : a;
    long size = left.size + right.size;
    byte[] input = new byte[73];
    input[0] = PARENT;
    Bytes.putUint64(input, 1, size);
    System.arraycopy(left.hash, 0, input, 9, 32);
    System.arraycopy(right.hash, 0, input, 41, 32);
    byte[] hash = Blake2b.hash(input);
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
