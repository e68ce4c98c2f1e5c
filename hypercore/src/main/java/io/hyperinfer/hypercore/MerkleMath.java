package io.hyperinfer.hypercore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Tree growth, proof generation and proof checking over flat-tree indexes. Stateless; pure functions. */
final class MerkleMath {
  /** Where proof generation looks up stored nodes. */
  interface NodeSource {
    MerkleNode node(long index);
  }

  /** Roots after an append, and every node it created (leaves and parents). */
  record Growth(List<MerkleNode> roots, List<MerkleNode> created, long byteLength) {}

  private MerkleMath() {}

  static Growth append(List<MerkleNode> roots, long length, long byteLength, List<byte[]> blocks) {
    List<MerkleNode> next = new ArrayList<>(roots);
    List<MerkleNode> created = new ArrayList<>(blocks.size() * 2);
    long bytes = byteLength;
    long index = length;
    for (byte[] block : blocks) {
      MerkleNode node = MerkleNode.leaf(index++, block);
      bytes += block.length;
      created.add(node);
      node = addRoot(next, node, created);
    }
    return new Growth(next, created, bytes);
  }

  /** Pushes a new rightmost root and merges it with equal-sized left neighbours. */
  private static MerkleNode addRoot(List<MerkleNode> roots, MerkleNode node, List<MerkleNode> created) {
    MerkleNode top = node;
    while (!roots.isEmpty() && roots.getLast().index() == FlatTree.sibling(top.index())) {
      top = MerkleNode.parent(roots.removeLast(), top);
      if (created != null) {
        created.add(top);
      }
    }
    roots.add(top);
    return top;
  }

  /** Sibling nodes from block {@code index}'s leaf up to its root at {@code length}. */
  static List<MerkleNode> blockNodes(long index, long length, NodeSource source) {
    return blockNodesTo(index, rootCovering(2 * index, length), source);
  }

  /** Sibling nodes from block {@code index}'s leaf up to (not including) the ancestor {@code root}. */
  static List<MerkleNode> blockNodesTo(long index, long root, NodeSource source) {
    long leaf = 2 * index;
    List<MerkleNode> nodes = new ArrayList<>();
    for (long i = leaf; i != root; i = FlatTree.parent(i)) {
      nodes.add(require(source, FlatTree.sibling(i)));
    }
    return nodes;
  }

  /** Nodes a verifier at length {@code from} needs to rebuild the roots at {@code to}. */
  static List<MerkleNode> upgradeNodes(long from, long to, NodeSource source) {
    List<MerkleNode> nodes = new ArrayList<>();
    long target = 2 * from - 2;
    for (long root : FlatTree.fullRoots(to)) {
      if (from > 0 && FlatTree.rightSpan(root) <= target) {
        continue;
      }
      if (from > 0 && FlatTree.contains(root, target)) {
        for (long i = target; i != root; i = FlatTree.parent(i)) {
          long sibling = FlatTree.sibling(i);
          if (sibling > target) {
            nodes.add(require(source, sibling));
          }
        }
        continue;
      }
      nodes.add(require(source, root));
    }
    return nodes;
  }

  /** The root a block proof rebuilds, with every node on the way (all of them trusted once the root is). */
  static List<MerkleNode> rebuildFromBlock(BlockProof proof) {
    List<MerkleNode> path = new ArrayList<>(proof.nodes().size() * 2 + 1);
    MerkleNode current = MerkleNode.leaf(proof.index(), proof.value());
    path.add(current);
    for (MerkleNode sibling : proof.nodes()) {
      if (sibling.index() != FlatTree.sibling(current.index())) {
        throw HypercoreException.invalidProof("expected node " + FlatTree.sibling(current.index())
            + ", got " + sibling.index());
      }
      current = MerkleNode.parent(current, sibling);
      path.add(sibling);
      path.add(current);
    }
    return path;
  }

  /**
   * Rebuilds the roots at {@code to} from the verifier's roots and the upgrade's nodes; {@code extra} (a root rebuilt
   * from a block proof, or null) may stand in for one of them. Returns the new roots; every node is in {@code seen}.
   */
  static List<MerkleNode> upgradeRoots(List<MerkleNode> roots, UpgradeProof upgrade, MerkleNode extra,
      List<MerkleNode> seen) {
    Map<Long, MerkleNode> queue = new HashMap<>();
    List<MerkleNode> ordered = new ArrayList<>(upgrade.nodes());
    if (extra != null) {
      ordered.add(extra);
    }
    for (MerkleNode node : ordered) {
      if (queue.putIfAbsent(node.index(), node) != null) {
        throw HypercoreException.invalidProof("duplicate node " + node.index());
      }
    }
    List<MerkleNode> have = new ArrayList<>(roots);
    List<MerkleNode> result = new ArrayList<>();
    int used = 0;
    for (long root : FlatTree.fullRoots(upgrade.end())) {
      if (used < have.size() && have.get(used).index() == root) {
        result.add(have.get(used++));
        continue;
      }
      if (used < have.size()) {
        result.add(grow(have.subList(used, have.size()), root, queue, seen));
        used = have.size();
        continue;
      }
      result.add(take(queue, root, seen));
    }
    if (used < have.size()) {
      throw HypercoreException.invalidProof("upgrade does not extend the current tree");
    }
    queue.remove(extra == null ? -1L : extra.index());
    if (!queue.isEmpty()) {
      throw HypercoreException.invalidProof("upgrade carries unused nodes " + queue.keySet());
    }
    return result;
  }

  /** Climbs from the rightmost old root to {@code root}, left siblings from the old roots, right ones from the proof. */
  private static MerkleNode grow(List<MerkleNode> old, long root, Map<Long, MerkleNode> queue, List<MerkleNode> seen) {
    if (!FlatTree.contains(root, old.getFirst().index())) {
      throw HypercoreException.invalidProof("upgrade root " + root + " does not cover the current roots");
    }
    List<MerkleNode> left = new ArrayList<>(old);
    MerkleNode current = left.removeLast();
    while (current.index() != root) {
      long sibling = FlatTree.sibling(current.index());
      MerkleNode node;
      if (sibling < current.index()) {
        if (left.isEmpty() || left.getLast().index() != sibling) {
          throw HypercoreException.invalidProof("missing left node " + sibling);
        }
        node = left.removeLast();
      } else {
        node = take(queue, sibling, seen);
      }
      current = MerkleNode.parent(current, node);
      seen.add(current);
    }
    if (!left.isEmpty()) {
      throw HypercoreException.invalidProof("upgrade root " + root + " leaves current roots behind");
    }
    return current;
  }

  private static MerkleNode take(Map<Long, MerkleNode> queue, long index, List<MerkleNode> seen) {
    MerkleNode node = queue.remove(index);
    if (node == null) {
      throw HypercoreException.invalidProof("expected node " + index);
    }
    seen.add(node);
    return node;
  }

  static long rootCovering(long leaf, long length) {
    for (long root : FlatTree.fullRoots(length)) {
      if (FlatTree.contains(root, leaf)) {
        return root;
      }
    }
    throw HypercoreException.outOfBounds(leaf / 2, length);
  }

  private static MerkleNode require(NodeSource source, long index) {
    MerkleNode node = source.node(index);
    if (node == null) {
      throw HypercoreException.of(HypercoreException.Code.BLOCK_NOT_AVAILABLE, "tree node " + index + " is missing");
    }
    return node;
  }
}
