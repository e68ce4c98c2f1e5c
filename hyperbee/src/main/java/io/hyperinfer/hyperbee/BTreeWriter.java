package io.hyperinfer.hyperbee;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Applies a batch of writes to an in-memory copy of the tree the way hyperbee 2.x does (order-9 B-tree: split at 9
 * keys, borrow or merge below 4), then encodes one block per write: its entry plus the nodes whose last change it
 * made, the last block holding the root, as JS hyperbee's batches do. A single write is a batch of one.
 * Confined to one writer.
 */
final class BTreeWriter extends BTree {
  private static final int MIN_KEYS = 4;
  private static final int MAX_CHILDREN = MIN_KEYS * 2 + 1;

  /** One accepted write: its seq, key and value (null for a delete). */
  record Op(long seq, byte[] key, byte[] value) {}

  private TreeNode tree;
  private boolean loaded;
  private final List<TreeNode> touched = new ArrayList<>();

  BTreeWriter(Source source, long version) {
    super(source, version);
  }

  private TreeNode tree() {
    if (!loaded) {
      tree = root();
      loaded = true;
    }
    return tree;
  }

  private void touch(TreeNode node) {
    touched.add(node);
  }

  /** Marks every node this write changed as last written by {@code seq}. */
  private boolean commit(long seq) {
    for (TreeNode node : touched) {
      node.writtenAt = seq;
    }
    touched.clear();
    return true;
  }

  /** Puts {@code key} as write {@code seq}; false when nothing changes (same value, or {@code cas} refused). */
  boolean put(byte[] key, byte[] value, long seq, Predicate<BeeBlock> cas) {
    TreeNode root = tree() == null ? TreeNode.empty() : tree;
    TreeNode.KeyRef target = new TreeNode.KeyRef(seq, key);
    List<TreeNode> stack = new ArrayList<>();
    TreeNode node = root;
    while (true) {
      int i = search(node, key);
      if (i >= 0) {
        BeeBlock previous = source.block(node.keys.get(i).seq);
        if (!cas.test(previous) || Arrays.equals(previous.value(), value)) {
          return false;
        }
        node.keys.set(i, target);
        touch(node);
        stack.forEach(this::touch);
        tree = root;
        return commit(seq);
      }
      if (node.isLeaf()) {
        node.keys.add(-i - 1, target);
        touch(node);
        break;
      }
      stack.add(node);
      node = child(node, -i - 1);
    }
    stack.forEach(this::touch);
    while (node.keys.size() >= MAX_CHILDREN) {
      TreeNode parent = stack.isEmpty() ? null : stack.removeLast();
      Split split = split(node);
      TreeNode.KeyRef median = split.median();
      TreeNode right = split.right();
      if (parent == null) {
        root = TreeNode.empty();
        root.keys.add(median);
        root.children.add(new TreeNode.ChildRef(0, 0, node));
        root.children.add(new TreeNode.ChildRef(0, 0, right));
        touch(root);
        break;
      }
      int at = -search(parent, key(median)) - 1;
      parent.keys.add(at, median);
      parent.children.add(at + 1, new TreeNode.ChildRef(0, 0, right));
      node = parent;
    }
    tree = root;
    return commit(seq);
  }

  private record Split(TreeNode.KeyRef median, TreeNode right) {}

  /** Splits {@code node} into itself and a new right half, both touched. */
  private Split split(TreeNode node) {
    int half = node.keys.size() >> 1;
    TreeNode right = TreeNode.empty();
    List<TreeNode.KeyRef> tail = node.keys.subList(node.keys.size() - half, node.keys.size());
    right.keys.addAll(tail);
    tail.clear();
    TreeNode.KeyRef median = node.keys.removeLast();
    if (!node.isLeaf()) {
      List<TreeNode.ChildRef> moved = node.children.subList(node.children.size() - (half + 1), node.children.size());
      right.children.addAll(moved);
      moved.clear();
    }
    right.depth = node.depth;
    touch(node);
    touch(right);
    return new Split(median, right);
  }

  /** Deletes {@code key} as write {@code seq}; false when it is absent or {@code cas} refused. */
  boolean del(byte[] key, long seq, Predicate<BeeBlock> cas) {
    if (tree() == null) {
      return false;
    }
    List<TreeNode> stack = new ArrayList<>();
    TreeNode node = tree;
    while (true) {
      stack.add(node);
      int i = search(node, key);
      if (i >= 0) {
        if (!cas.test(source.block(node.keys.get(i).seq))) {
          return false;
        }
        if (node.isLeaf()) {
          node.keys.remove(i);
        } else {
          replaceWithNearestLeafKey(node, i, stack);
        }
        stack.forEach(this::touch);
        tree = rebalance(stack);
        touch(tree);
        return commit(seq);
      }
      if (node.isLeaf()) {
        return false;
      }
      node = child(node, -i - 1);
    }
  }

  /** The block holding {@code key} in the tree as this batch has changed it, or null. */
  BeeBlock find(byte[] key) {
    TreeNode node = tree();
    while (node != null) {
      int i = search(node, key);
      if (i >= 0) {
        return source.block(node.keys.get(i).seq);
      }
      node = node.isLeaf() ? null : child(node, -i - 1);
    }
    return null;
  }

  /** Moves the neighbouring key from the bigger adjacent leaf into slot {@code i}, keeping the tree balanced. */
  private void replaceWithNearestLeafKey(TreeNode node, int i, List<TreeNode> stack) {
    TreeNode left = child(node, i);
    TreeNode right = child(node, i + 1);
    if (leafSize(left, false) < leafSize(right, true)) {
      stack.add(right);
      while (!right.isLeaf()) {
        right = child(right, 0);
        stack.add(right);
      }
      node.keys.set(i, right.keys.removeFirst());
    } else {
      stack.add(left);
      while (!left.isLeaf()) {
        left = child(left, left.children.size() - 1);
        stack.add(left);
      }
      node.keys.set(i, left.keys.removeLast());
    }
  }

  private int leafSize(TreeNode node, boolean leftmost) {
    TreeNode n = node;
    while (!n.isLeaf()) {
      n = child(n, leftmost ? 0 : n.children.size() - 1);
    }
    return n.keys.size();
  }

  private TreeNode rebalance(List<TreeNode> stack) {
    TreeNode root = stack.getFirst();
    while (stack.size() > 1) {
      TreeNode node = stack.removeLast();
      TreeNode parent = stack.getLast();
      if (node.keys.size() >= MIN_KEYS) {
        return root;
      }
      int index = indexOf(parent, node);
      TreeNode left = index > 0 ? child(parent, index - 1) : null;
      TreeNode right = index < parent.children.size() - 1 ? child(parent, index + 1) : null;
      if (left != null && left.keys.size() > MIN_KEYS) {
        touch(left);
        node.keys.addFirst(parent.keys.get(index - 1));
        if (!left.isLeaf()) {
          node.children.addFirst(left.children.removeLast());
        }
        parent.keys.set(index - 1, left.keys.removeLast());
        return root;
      }
      if (right != null && right.keys.size() > MIN_KEYS) {
        touch(right);
        node.keys.add(parent.keys.get(index));
        if (!right.isLeaf()) {
          node.children.add(right.children.removeFirst());
        }
        parent.keys.set(index, right.keys.removeFirst());
        return root;
      }
      if (left != null) {
        index--;
        right = node;
      } else {
        left = node;
      }
      touch(left);
      left.keys.add(parent.keys.get(index));
      left.keys.addAll(right.keys);
      left.children.addAll(right.children);
      parent.keys.remove(index);
      parent.children.remove(index + 1);
    }
    if (root.keys.isEmpty() && !root.isLeaf()) {
      return child(root, 0);
    }
    return root;
  }

  private static int indexOf(TreeNode parent, TreeNode node) {
    for (int i = 0; i < parent.children.size(); i++) {
      if (parent.children.get(i).node == node) {
        return i;
      }
    }
    throw new IllegalStateException("node is not a child of its parent");
  }

  /** One block per write: each holds the nodes it changed last; the final one starts with the root. */
  List<byte[]> encode(List<Op> ops) {
    Map<Long, List<TreeNode>> bySeq = new HashMap<>();
    if (tree != null) {
      collect(tree, bySeq);
    }
    List<byte[]> blocks = new ArrayList<>(ops.size());
    for (Op op : ops) {
      List<TreeNode> nodes = bySeq.getOrDefault(op.seq(), List.of());
      List<BeeBlock.Level> levels = new ArrayList<>(nodes.size());
      for (TreeNode node : nodes) {
        levels.add(node.toLevel());
      }
      blocks.add(BeeBlock.encode(op.key(), op.value(), levels));
    }
    return blocks;
  }

  /** Pre-order over rewritten nodes, so the root gets slot 0 of its block; untouched subtrees keep their pointers. */
  private static void collect(TreeNode node, Map<Long, List<TreeNode>> bySeq) {
    if (node.writtenAt < 0) {
      return;
    }
    List<TreeNode> list = bySeq.computeIfAbsent(node.writtenAt, s -> new ArrayList<>());
    node.slot = list.size();
    list.add(node);
    for (TreeNode.ChildRef child : node.children) {
      if (child.node != null) {
        collect(child.node, bySeq);
      }
    }
  }
}
