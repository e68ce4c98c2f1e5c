package io.hyperinfer.hypercore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ReadOptions;

/**
 * The state all sessions of one core share: manifest, signed tree head and storage. Thread-safe: writers serialise
 * on this object; readers see the volatile head, which is replaced only after its rows are in storage.
 */
final class Core {
  final CoreStorage storage;
  final Manifest manifest;
  final byte[] key;
  final byte[] discoveryKey;
  private final byte[] secretKey;
  private volatile TreeState head;
  private int sessions;

  Core(CoreStorage storage, Manifest manifest, byte[] secretKey, TreeState head) {
    this.storage = storage;
    this.manifest = manifest;
    this.key = manifest.key();
    this.discoveryKey = CoreCrypto.discoveryKey(key);
    this.secretKey = secretKey == null ? null : secretKey.clone();
    this.head = head;
  }

  TreeState head() {
    return head;
  }

  boolean writable() {
    return secretKey != null;
  }

  synchronized void retain() {
    sessions++;
  }

  /** Returns true when the last session let go. */
  synchronized boolean release() {
    return --sessions == 0;
  }

  synchronized long append(List<byte[]> plain, BlockEncryption encryption) {
    requireWritable();
    TreeState current = head;
    if (plain.isEmpty()) {
      return current.length();
    }
    List<byte[]> blocks = plain;
    if (encryption != null) {
      blocks = new ArrayList<>(plain.size());
      for (int i = 0; i < plain.size(); i++) {
        blocks.add(encryption.encrypt(current.length() + i, plain.get(i), current.fork()));
      }
    }
    MerkleMath.Growth growth = MerkleMath.append(current.roots(), current.length(), current.byteLength(), blocks);
    long length = current.length() + blocks.size();
    TreeState next = signed(current.fork(), length, growth.byteLength(), growth.roots());
    storage.write(header(next), current.length(), blocks, growth.created(), 0, 0, List.of());
    head = next;
    return length;
  }

  /** Cuts the core to {@code length}; a writer bumps the fork and signs the shorter tree. */
  synchronized void truncate(long length, boolean bumpFork) {
    TreeState current = head;
    if (length < 0 || length > current.length()) {
      throw HypercoreException.outOfBounds(length, current.length());
    }
    if (bumpFork) {
      requireWritable();
    }
    List<MerkleNode> roots = new ArrayList<>();
    long bytes = 0;
    for (long index : FlatTree.fullRoots(length)) {
      MerkleNode root = storage.node(index, null);
      if (root == null) {
        throw HypercoreException.corrupt("root " + index + " is missing", 0);
      }
      roots.add(root);
      bytes += root.size();
    }
    long fork = bumpFork ? current.fork() + 1 : current.fork();
    TreeState next = writable() ? signed(fork, length, bytes, roots) : new TreeState(fork, length, bytes, roots, null);
    storage.write(header(next), 0, List.of(), List.of(), length, current.length(),
        removedNodes(length, current.length()));
    head = next;
  }

  /** Every node that covers a block at or past {@code length} but existed at {@code oldLength}. */
  private static Set<Long> removedNodes(long length, long oldLength) {
    Set<Long> removed = new HashSet<>();
    long limit = 2 * oldLength;
    for (long block = length; block < oldLength; block++) {
      for (long i = 2 * block; FlatTree.rightSpan(i) < limit && removed.add(i); i = FlatTree.parent(i)) {
        // climbing stops at the first node already collected: its ancestors are collected too
      }
    }
    return removed;
  }

  byte[] get(long index, long length, ReadOptions read) {
    if (index < 0 || index >= length) {
      throw HypercoreException.outOfBounds(index, length);
    }
    byte[] block = storage.block(index, read);
    if (block == null) {
      throw HypercoreException.of(HypercoreException.Code.BLOCK_NOT_AVAILABLE, "block " + index + " is not stored");
    }
    return block;
  }

  BlockProof blockProof(long index, TreeState at, ReadOptions read) {
    byte[] value = get(index, at.length(), read);
    return new BlockProof(index, value, MerkleMath.blockNodes(index, at.length(), i -> storage.node(i, read)));
  }

  UpgradeProof upgradeProof(long start, TreeState at, ReadOptions read) {
    if (start < 0 || start > at.length()) {
      throw HypercoreException.outOfBounds(start, at.length());
    }
    List<MerkleNode> nodes = MerkleMath.upgradeNodes(start, at.length(), i -> storage.node(i, read));
    return new UpgradeProof(start, at.length() - start, nodes, at.signature());
  }

  /** A block proof and an upgrade proof in one: the upgrade leaves out the node the block proof rebuilds. */
  Proof proof(long index, long start, TreeState at, ReadOptions read) {
    UpgradeProof upgrade = upgradeProof(start, at, read);
    byte[] value = get(index, at.length(), read);
    List<MerkleNode> nodes = new ArrayList<>(upgrade.nodes());
    MerkleNode cover = nodes.stream().filter(n -> FlatTree.contains(n.index(), 2 * index)).findFirst().orElse(null);
    List<MerkleNode> path;
    if (cover == null) {
      path = MerkleMath.blockNodes(index, at.length(), i -> storage.node(i, read));
    } else {
      nodes.remove(cover);
      path = MerkleMath.blockNodesTo(index, cover.index(), i -> storage.node(i, read));
    }
    return new Proof(at.fork(), new BlockProof(index, value, path),
        new UpgradeProof(upgrade.start(), upgrade.length(), nodes, upgrade.signature()));
  }

  /** Checks a proof against what this core trusts and stores what it proves; bad proofs change nothing. */
  synchronized void verify(Proof proof) {
    TreeState current = head;
    List<MerkleNode> trusted = new ArrayList<>();
    List<MerkleNode> path = proof.block() == null ? List.of() : MerkleMath.rebuildFromBlock(proof.block());
    trusted.addAll(path);
    MerkleNode blockRoot = path.isEmpty() ? null : path.getLast();
    TreeState next = current;
    boolean rootProven = false;
    UpgradeProof upgrade = proof.upgrade();
    if (upgrade != null && upgrade.end() > current.length()) {
      if (proof.fork() != current.fork() && current.length() > 0) {
        throw HypercoreException.invalidProof("upgrade to fork " + proof.fork() + " needs a reorg");
      }
      List<MerkleNode> seen = new ArrayList<>();
      List<MerkleNode> roots = MerkleMath.upgradeRoots(current.roots(), upgrade, blockRoot, seen);
      byte[] treeHash = CoreCrypto.treeHash(roots);
      if (!manifest.verify(upgrade.signature(), treeHash, upgrade.end(), proof.fork())) {
        throw HypercoreException.of(HypercoreException.Code.INVALID_SIGNATURE, "upgrade signature does not verify");
      }
      rootProven = blockRoot != null && seen.stream().anyMatch(n -> n.equals(blockRoot));
      trusted.addAll(seen);
      long bytes = roots.stream().mapToLong(MerkleNode::size).sum();
      next = new TreeState(proof.fork(), upgrade.end(), bytes, roots, upgrade.signature());
    }
    List<byte[]> blocks = List.of();
    long blockIndex = 0;
    if (proof.block() != null) {
      blockIndex = proof.block().index();
      if (blockIndex >= next.length()) {
        throw HypercoreException.outOfBounds(blockIndex, next.length());
      }
      if (!rootProven) {
        checkTrusted(blockRoot, next);
      }
      blocks = List.of(proof.block().value());
    }
    Map<Long, MerkleNode> unique = new LinkedHashMap<>();
    trusted.forEach(n -> unique.put(n.index(), n));
    storage.write(header(next), blockIndex, blocks, unique.values(), 0, 0, List.of());
    head = next;
  }

  private void checkTrusted(MerkleNode root, TreeState state) {
    MerkleNode known = state.roots().stream().filter(r -> r.index() == root.index()).findFirst()
        .orElseGet(() -> storage.node(root.index(), null));
    if (known == null || !known.equals(root)) {
      throw HypercoreException.of(HypercoreException.Code.INVALID_CHECKSUM, "invalid checksum at node " + root.index());
    }
  }

  private TreeState signed(long fork, long length, long bytes, List<MerkleNode> roots) {
    byte[] signature = manifest.sign(CoreCrypto.treeHash(roots), length, fork, secretKey);
    return new TreeState(fork, length, bytes, roots, signature);
  }

  private CoreHeader header(TreeState state) {
    return new CoreHeader(state.fork(), state.length(), state.byteLength(), state.signature(), manifest, secretKey);
  }

  private void requireWritable() {
    if (secretKey == null) {
      throw HypercoreException.of(HypercoreException.Code.NOT_WRITABLE, "core is read-only (no secret key)");
    }
  }
}
