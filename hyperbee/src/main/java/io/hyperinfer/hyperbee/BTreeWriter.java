package io.hyperinfer.hyperbee;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Writes one operation onto a version of the tree the way hyperbee 2.x does (order-9 B-tree: split at 9 keys, borrow
 * or merge below 4) and encodes the result as the next block: the entry plus every node on the changed path.
 * Confined to the writer for one operation.
 */
final class BTreeWriter extends BTree {
  private static final int MIN_KEYS = 4;
  private static final int MAX_CHILDREN = MIN_KEYS * 2 + 1;

  /** A written block: its bytes for the core and its decoded form for reads before the flush. */
  record Write(byte[] raw, BeeBlock block) {}

  BTreeWriter(Source source, long version) {
    super(source, version);
  }

  /**
   * The block that puts {@code key} as block {@code seq}, or null when nothing changes (same value, or {@code cas}
   * refused the existing entry).
   */
  Write put(byte[] key, byte[] value, long seq, Predicate<BeeBlock> cas) {
    TreeNode root = root();
    if (root == null) {
      root = TreeNode.empty();
    }
    TreeNode.KeyRef target = new TreeNode.KeyRef(seq, key);
    List<TreeNode> stack = new ArrayList<>();
    TreeNode node = root;
    while (true) {
      int i = search(node, key);
      if (i >= 0) {
        BeeBlock previous = source.block(node.keys.get(i).seq);
        if (!cas.test(previous) || Arrays.equals(previous.value(), value)) {
          return null;
        }
        node.keys.set(i, target);
        node.changed = true;
        stack.forEach(n -> n.changed = true);
        return encode(root, seq, key, value);
      }
      if (node.isLeaf()) {
        node.keys.add(-i - 1, target);
        node.changed = true;
        break;
      }
      stack.add(node);
      node = child(node, -i - 1);
    }
    stack.forEach(n -> n.changed = true);
    while (node.keys.size() >= MAX_CHILDREN) {
      TreeNode parent = stack.isEmpty() ? null : stack.removeLast();
      Split split = split(node);
      if (parent == null) {
        root = TreeNode.empty();
        root.keys.add(split.median);
        root.children.add(new TreeNode.ChildRef(0, 0, node));
        root.children.add(new TreeNode.ChildRef(0, 0, split.right));
        break;
      }
      int at = -search(parent, key(split.median)) - 1;
      parent.keys.add(at, split.median);
      parent.children.add(at + 1, new TreeNode.ChildRef(0, 0, split.right));
      node = parent;
    }
    return encode(root, seq, key, value);
  }

  private record Split(TreeNode.KeyRef median, TreeNode right) {}

  private static Split split(TreeNode node) {
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
    node.changed = true;
    return new Split(median, right);
  }

  /** The block that deletes {@code key} as block {@code seq}, or null when it is absent or {@code cas} refused. */
  Write del(byte[] key, long seq, Predicate<BeeBlock> cas) {
    TreeNode root = root();
    if (root == null) {
      return null;
    }
    List<TreeNode> stack = new ArrayList<>();
    TreeNode node = root;
    while (true) {
      stack.add(node);
      int i = search(node, key);
      if (i >= 0) {
        if (!cas.test(source.block(node.keys.get(i).seq))) {
          return null;
        }
        if (node.isLeaf()) {
          node.keys.remove(i);
        } else {
          replaceWithNearestLeafKey(node, i, stack);
        }
        stack.forEach(n -> n.changed = true);
        return encode(rebalance(stack), seq, key, null);
      }
      if (node.isLeaf()) {
        return null;
      }
      node = child(node, -i - 1);
    }
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
        left.changed = true;
        node.keys.addFirst(parent.keys.get(index - 1));
        if (!left.isLeaf()) {
          node.children.addFirst(left.children.removeLast());
        }
        parent.keys.set(index - 1, left.keys.removeLast());
        return root;
      }
      if (right != null && right.keys.size() > MIN_KEYS) {
        right.changed = true;
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
      left.changed = true;
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

  private static Write encode(TreeNode root, long seq, byte[] key, byte[] value) {
    List<TreeNode> index = new ArrayList<>();
    root.indexChanges(index, seq);
    List<BeeBlock.Level> levels = new ArrayList<>(index.size());
    for (TreeNode n : index) {
      levels.add(n.toLevel());
    }
    return new Write(BeeBlock.encode(key, value, levels), new BeeBlock(seq, key, value, List.copyOf(levels)));
  }
}
