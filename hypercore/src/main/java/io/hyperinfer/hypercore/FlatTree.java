package io.hyperinfer.hypercore;

import java.util.ArrayList;
import java.util.List;

/**
 * Flat in-order tree index math (the flat-tree package): leaves (blocks) sit at even indexes, parents at odd ones,
 * and a node's depth is the number of trailing one bits of its index. Stateless and thread-safe.
 */
public final class FlatTree {
  private FlatTree() {}

  /** Index of the node at {@code depth} and {@code offset} (its position among nodes of that depth). */
  public static long index(int depth, long offset) {
    return (offset << (depth + 1)) | ((1L << depth) - 1);
  }

  /** Depth of a node: 0 for leaves. */
  public static int depth(long index) {
    return Long.numberOfTrailingZeros(~index);
  }

  /** Offset of a node among the nodes of its depth. */
  public static long offset(long index) {
    return index >> (depth(index) + 1);
  }

  public static long parent(long index) {
    int depth = depth(index);
    return index(depth + 1, offset(index) >> 1);
  }

  public static long sibling(long index) {
    int depth = depth(index);
    return index(depth, offset(index) ^ 1);
  }

  /** Left child, or -1 for a leaf. */
  public static long leftChild(long index) {
    int depth = depth(index);
    return depth == 0 ? -1 : index(depth - 1, offset(index) << 1);
  }

  /** Right child, or -1 for a leaf. */
  public static long rightChild(long index) {
    int depth = depth(index);
    return depth == 0 ? -1 : index(depth - 1, (offset(index) << 1) + 1);
  }

  /** Leftmost leaf below (or at) a node. */
  public static long leftSpan(long index) {
    int depth = depth(index);
    return depth == 0 ? index : offset(index) << (depth + 1);
  }

  /** Rightmost leaf below (or at) a node. */
  public static long rightSpan(long index) {
    int depth = depth(index);
    return depth == 0 ? index : ((offset(index) + 1) << (depth + 1)) - 2;
  }

  /** Number of leaves below (or at) a node. */
  public static long countLeaves(long index) {
    return 1L << depth(index);
  }

  /** Whether {@code index} is {@code node} itself or lies below it. */
  public static boolean contains(long node, long index) {
    return index >= leftSpan(node) && index <= rightSpan(node);
  }

  /**
   * Roots of the complete subtrees covering the first {@code leaves} blocks, left to right: the tree's roots at that
   * length.
   */
  public static List<Long> fullRoots(long leaves) {
    if (leaves < 0) {
      throw new IllegalArgumentException("negative length");
    }
    List<Long> roots = new ArrayList<>(Long.bitCount(leaves));
    long offset = 0;
    long remaining = leaves;
    while (remaining > 0) {
      long factor = Long.highestOneBit(remaining);
      roots.add(offset + factor - 1);
      offset += 2 * factor;
      remaining -= factor;
    }
    return roots;
  }
}
