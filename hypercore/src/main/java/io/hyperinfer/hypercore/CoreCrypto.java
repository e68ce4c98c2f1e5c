package io.hyperinfer.hypercore;

import io.hyperinfer.crypto.Blake2b;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Hypercore's hash constructions (hypercore-crypto and hypercore's caps). Stateless and thread-safe. */
public final class CoreCrypto {
  private static final byte ROOT_TYPE = 2;
  private static final byte[] HYPERCORE = "hypercore".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CORESTORE = namespace("corestore".getBytes(StandardCharsets.UTF_8), 0);

  /** Namespace prefixed to every tree signable. */
  static final byte[] TREE = namespace(0);
  /** Namespace prefixed to the manifest before hashing it into the core key. */
  static final byte[] MANIFEST = namespace(3);
  /** The namespace a default signer signs under. */
  public static final byte[] DEFAULT_NAMESPACE = namespace(4);
  /** Namespace of the default block encryption's key derivation. */
  static final byte[] DEFAULT_ENCRYPTION = namespace(5);

  private CoreCrypto() {}

  /** The tree hash at some length: one hash over the root type and every root's hash, index and size. */
  public static byte[] treeHash(List<MerkleNode> roots) {
    byte[] input = new byte[1 + 48 * roots.size()];
    input[0] = ROOT_TYPE;
    int at = 1;
    for (MerkleNode root : roots) {
      System.arraycopy(root.hashUnsafe(), 0, input, at, 32);
      Bytes.putUint64(input, at + 32, root.index());
      Bytes.putUint64(input, at + 40, root.size());
      at += 48;
    }
    return Blake2b.hash(input);
  }

  /** The key peers find each other under without revealing the core key: BLAKE2b keyed with "hypercore". */
  public static byte[] discoveryKey(byte[] key) {
    if (key == null || key.length != 32) {
      throw HypercoreException.badArgument("a core key is 32 bytes");
    }
    return Blake2b.hash(HYPERCORE, key, 32);
  }

  /**
   * The key pair corestore 7 derives for a named core under a primary key (default all-zero namespace), so a store
   * holds the same named cores, with the same keys, as a JS corestore with that primary key.
   */
  public static KeyPair namedKeyPair(byte[] primaryKey, String name) {
    if (primaryKey == null || primaryKey.length != 32) {
      throw HypercoreException.badArgument("a primary key is 32 bytes");
    }
    byte[][] parts = {CORESTORE, new byte[32], name.getBytes(StandardCharsets.UTF_8)};
    return Ed25519.fromSeed(Blake2b.batch(parts, primaryKey, 32));
  }

  private static byte[] namespace(int id) {
    return namespace(HYPERCORE, id);
  }

  private static byte[] namespace(byte[] name, int id) {
    byte[] base = Blake2b.hash(name);
    byte[] withId = new byte[33];
    System.arraycopy(base, 0, withId, 0, 32);
    withId[32] = (byte) id;
    return Blake2b.hash(withId);
  }
}
