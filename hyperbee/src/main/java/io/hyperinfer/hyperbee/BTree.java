package io.hyperinfer.hyperbee;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Reads one version of a hyperbee B-tree: lookups and ordered walks over blocks from a {@link Source}. The root is
 * node 0 of the version's last block. Confined to the calling thread for one operation.
 */
class BTree {
  /** Decoded blocks by seq. */
  interface Source {
    BeeBlock block(long seq);

    /** The key of block {@code seq}; sources may cache keys longer than whole blocks. */
    default byte[] key(long seq) {
      return block(seq).key();
    }
  }

  /** Bounds of an ordered walk; null bounds are open. */
  record Bounds(byte[] lower, boolean lowerInclusive, byte[] upper, boolean upperInclusive) {
    boolean aboveLower(byte[] key) {
      if (lower == null) {
        return true;
      }
      int c = Arrays.compareUnsigned(key, lower);
      return lowerInclusive ? c >= 0 : c > 0;
    }

    boolean belowUpper(byte[] key) {
      if (upper == null) {
        return true;
      }
      int c = Arrays.compareUnsigned(key, upper);
      return upperInclusive ? c <= 0 : c < 0;
    }
  }

  /** Far beyond any real tree: an order-9 B-tree this deep would hold more than 4^64 keys. */
  static final int MAX_DEPTH = 64;

  final Source source;
  final long version;

  BTree(Source source, long version) {
    this.source = source;
    this.version = version;
  }

  /** The root at this version, or null for an empty bee (only the header, or nothing). */
  TreeNode root() {
    return version < 2 ? null : TreeNode.load(source.block(version - 1), 0);
  }

  byte[] key(TreeNode.KeyRef ref) {
    if (ref.key == null) {
      ref.key = source.key(ref.seq);
    }
    return ref.key;
  }

  TreeNode child(TreeNode parent, int i) {
    TreeNode.ChildRef ref = parent.children.get(i);
    if (ref.node == null) {
      if (parent.depth >= MAX_DEPTH) {
        throw BeeException.decoding("tree deeper than " + MAX_DEPTH + " levels: child pointers form a cycle");
      }
      TreeNode node = TreeNode.load(source.block(ref.seq), ref.offset);
      node.depth = parent.depth + 1;
      ref.node = node;
    }
    return ref.node;
  }

  /** Binary search: index of {@code key} if present (>= 0), else -(insertion point) - 1. */
  int search(TreeNode node, byte[] key) {
    int lo = 0;
    int hi = node.keys.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int c = Arrays.compareUnsigned(key, key(node.keys.get(mid)));
      if (c == 0) {
        return mid;
      }
      if (c < 0) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return -lo - 1;
  }

  /** The live block holding {@code key}, or null. */
  BeeBlock get(byte[] key) {
    if (version < 2) {
      return null;
    }
    BeeBlock rootBlock = source.block(version - 1);
    if (Arrays.equals(rootBlock.key(), key)) {
      // the newest block is the newest write of its key: a delete or the current value
      return rootBlock.isDeletion() ? null : rootBlock;
    }
    TreeNode node = TreeNode.load(rootBlock, 0);
    while (true) {
      int i = search(node, key);
      if (i >= 0) {
        return source.block(node.keys.get(i).seq);
      }
      if (node.isLeaf()) {
        return null;
      }
      node = child(node, -i - 1);
    }
  }

  /** Visits keys inside {@code bounds} in order (or reverse) until {@code visitor} returns false. */
  void walk(Bounds bounds, boolean reverse, Predicate<TreeNode.KeyRef> visitor) {
    TreeNode root = root();
    if (root != null) {
      walk(root, bounds, reverse, visitor);
    }
  }

  private boolean walk(TreeNode node, Bounds bounds, boolean reverse, Predicate<TreeNode.KeyRef> visitor) {
    int n = node.keys.size();
    for (int step = 0; step <= n; step++) {
      int i = reverse ? n - step : step;
      if (!node.isLeaf() && childMayOverlap(node, i, bounds) && !walk(child(node, i), bounds, reverse, visitor)) {
        return false;
      }
      int k = reverse ? i - 1 : i;
      if (k < 0 || k >= n) {
        continue;
      }
      TreeNode.KeyRef ref = node.keys.get(k);
      byte[] key = key(ref);
      boolean inside = bounds.aboveLower(key) && bounds.belowUpper(key);
      if (inside && !visitor.test(ref)) {
        return false;
      }
      if (!inside && (reverse ? !bounds.aboveLower(key) : !bounds.belowUpper(key))) {
        return false;
      }
    }
    return true;
  }

  /** Child i holds keys between keys[i-1] and keys[i]; skip it when that gap lies outside the bounds. */
  private boolean childMayOverlap(TreeNode node, int i, Bounds bounds) {
    if (i > 0 && bounds.upper() != null && Arrays.compareUnsigned(key(node.keys.get(i - 1)), bounds.upper()) >= 0) {
      return false;
    }
    return i >= node.keys.size() || bounds.lower() == null
        || Arrays.compareUnsigned(key(node.keys.get(i)), bounds.lower()) > 0;
  }
}
