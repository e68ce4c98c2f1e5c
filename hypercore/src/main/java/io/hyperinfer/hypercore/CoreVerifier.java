package io.hyperinfer.hypercore;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a stored core on open: every stored block against its leaf, every tree node against a recomputation, the
 * roots against the signature. Finds the longest prefix that still verifies. Stateless.
 */
final class CoreVerifier {
  private CoreVerifier() {}

  /** Returns the verified head, or throws CORRUPT_STORAGE carrying the last valid length. */
  static TreeState verify(CoreStorage storage, CoreHeader header) {
    long length = header.length();
    List<MerkleNode> roots = new ArrayList<>();
    long bytes = 0;
    long valid = length;
    for (long block = 0; block < length; block++) {
      byte[] value = storage.block(block, null);
      if (value == null) {
        if (header.secretKey() != null) {
          valid = block;
          break;
        }
        continue;
      }
      MerkleNode leaf = MerkleNode.leaf(block, value);
      if (!leaf.equals(storage.node(leaf.index(), null))) {
        valid = block;
        break;
      }
    }
    List<MerkleNode> stored = new ArrayList<>();
    for (long index : FlatTree.fullRoots(length)) {
      MerkleNode root = storage.node(index, null);
      if (root == null) {
        throw HypercoreException.corrupt("tree root " + index + " is missing", 0);
      }
      stored.add(root);
      bytes += root.size();
    }
    if (valid == length && header.secretKey() != null) {
      valid = recomputedPrefix(storage, length);
    }
    roots.addAll(stored);
    TreeState state = new TreeState(header.fork(), length, bytes, roots, header.signature());
    if (valid < length) {
      throw HypercoreException.corrupt("block " + valid + " or its tree nodes do not verify", valid);
    }
    if (length > 0 && !header.manifest().verify(header.signature(), state.treeHash(), length, header.fork())) {
      throw HypercoreException.corrupt("stored signature does not match the stored tree", length);
    }
    return state;
  }

  /** Regrows the tree from the leaves and returns the length up to which every stored parent agrees. */
  private static long recomputedPrefix(CoreStorage storage, long length) {
    List<MerkleNode> roots = new ArrayList<>();
    for (long block = 0; block < length; block++) {
      MerkleNode leaf = storage.node(2 * block, null);
      MerkleNode top = leaf;
      while (!roots.isEmpty() && roots.getLast().index() == FlatTree.sibling(top.index())) {
        top = MerkleNode.parent(roots.removeLast(), top);
        if (!top.equals(storage.node(top.index(), null))) {
          return FlatTree.leftSpan(top.index()) / 2;
        }
      }
      roots.add(top);
    }
    return length;
  }
}
