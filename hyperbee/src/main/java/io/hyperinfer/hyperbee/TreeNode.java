package io.hyperinfer.hyperbee;

import java.util.ArrayList;
import java.util.List;

/**
 * A B-tree node being read or rewritten: key references (seq of the block holding the key) and child pointers
 * (block seq + node offset in that block). Loaded fresh for each operation. Not thread-safe.
 */
final class TreeNode {
  /** A key held by the block at {@code seq}; the bytes are loaded on first comparison. */
  static final class KeyRef {
    final long seq;
    byte[] key;

    KeyRef(long seq, byte[] key) {
      this.seq = seq;
      this.key = key;
    }
  }

  /** A child stored as node {@code offset} of block {@code seq}; {@code node} once loaded or newly made. */
  static final class ChildRef {
    long seq;
    int offset;
    TreeNode node;

    ChildRef(long seq, int offset, TreeNode node) {
      this.seq = seq;
      this.offset = offset;
      this.node = node;
    }
  }

  final List<KeyRef> keys;
  final List<ChildRef> children;
  /** Seq of the last write that changed this node in the current batch, or -1 when unchanged since loaded. */
  long writtenAt = -1;
  /** This node's offset in the index of block {@code writtenAt}, assigned when the batch is encoded. */
  int slot;
  /** Distance from the root it was reached from; bounded so hostile pointer cycles end in an error. */
  int depth;

  TreeNode(List<KeyRef> keys, List<ChildRef> children) {
    this.keys = keys;
    this.children = children;
  }

  static TreeNode empty() {
    return new TreeNode(new ArrayList<>(), new ArrayList<>());
  }

  static TreeNode load(BeeBlock block, int offset) {
    BeeBlock.Level level = block.level(offset);
    List<KeyRef> keys = new ArrayList<>(level.keys().length + 1);
    for (long seq : level.keys()) {
      keys.add(new KeyRef(seq, seq == block.seq() ? block.key() : null));
    }
    long[] c = level.children();
    List<ChildRef> children = new ArrayList<>(c.length / 2 + 1);
    for (int i = 0; i < c.length; i += 2) {
      // a child in the same block sits deeper in its index; lookups also cap depth (BTree.child) against cycles
      boolean selfLoop = c[i] == block.seq() && c[i + 1] <= offset;
      if (selfLoop || c[i] < 1 || c[i + 1] < 0 || c[i + 1] > Integer.MAX_VALUE) {
        throw BeeException.decoding("bad child pointer (" + c[i] + ", " + c[i + 1] + ") in block " + block.seq());
      }
      children.add(new ChildRef(c[i], (int) c[i + 1], null));
    }
    return new TreeNode(keys, children);
  }

  boolean isLeaf() {
    return children.isEmpty();
  }

  BeeBlock.Level toLevel() {
    long[] k = new long[keys.size()];
    for (int i = 0; i < k.length; i++) {
      k[i] = keys.get(i).seq;
    }
    long[] c = new long[children.size() * 2];
    for (int i = 0; i < children.size(); i++) {
      ChildRef child = children.get(i);
      boolean rewritten = child.node != null && child.node.writtenAt >= 0;
      c[2 * i] = rewritten ? child.node.writtenAt : child.seq;
      c[2 * i + 1] = rewritten ? child.node.slot : child.offset;
    }
    return new BeeBlock.Level(k, c);
  }
}
