package io.hyperinfer.hypercore;

import io.hyperinfer.crypto.Blake2b;
import io.hyperinfer.crypto.Ed25519;
import java.util.Arrays;

/**
 * Who may sign a core: one Ed25519 signer under a namespace (hypercore 11's default manifest, version 1), or the
 * hypercore 10 compat form where the core key is the public key itself and the signable carries no namespace.
 * Immutable.
 *
 */
public final class Manifest {
  private static final int SIGNATURE_BYTES = Ed25519.SIGNATURE_BYTES;

  private final byte[] publicKey;
  private final byte[] namespace;
  private final boolean compat;
  /** TREE namespace followed by the manifest hash (v11) or alone (compat): the fixed start of every signable. */
  private final byte[] signablePrefix;

  public Manifest(byte[] publicKey, byte[] namespace, boolean compat) {
    if (publicKey == null || publicKey.length != 32 || namespace == null || namespace.length != 32) {
      throw HypercoreException.badArgument("a manifest signer needs a 32-byte public key and namespace");
    }
    this.publicKey = publicKey.clone();
    this.namespace = namespace.clone();
    this.compat = compat;
    this.signablePrefix = compat ? CoreCrypto.TREE.clone() : Bytes.concat(CoreCrypto.TREE, hash());
  }

  /** The hypercore 11 default manifest for a public key: one Ed25519 signer, default namespace, quorum 1. */
  public static Manifest of(byte[] publicKey) {
    return new Manifest(publicKey, CoreCrypto.DEFAULT_NAMESPACE, false);
  }

  /** The hypercore 10 form: the core key is the public key. */
  public static Manifest compat(byte[] publicKey) {
    return new Manifest(publicKey, CoreCrypto.DEFAULT_NAMESPACE, true);
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  public byte[] namespace() {
    return namespace.clone();
  }

  /** True for the hypercore 10 form (key = public key). */
  public boolean compat() {
    return compat;
  }

  /** The manifest in hypercore's wire form (version 1, no flags, blake2b, quorum 1, one ed25519 signer). */
  public byte[] encode() {
    return Bytes.concat(new byte[] {1, 0, 0, 1, 1, 0}, namespace, publicKey);
  }

  /** BLAKE2b of the manifest namespace followed by the encoded manifest. */
  public byte[] hash() {
    return Blake2b.batch(CoreCrypto.MANIFEST, encode());
  }

  /** The core key: the manifest hash, or the public key in compat form. */
  public byte[] key() {
    return compat ? publicKey.clone() : hash();
  }

  /** The bytes signed for a tree state: tree namespace, manifest hash (v11 only), tree hash, length, fork. */
  public byte[] signable(byte[] treeHash, long length, long fork) {
    byte[] out = new byte[signablePrefix.length + 48];
    System.arraycopy(signablePrefix, 0, out, 0, signablePrefix.length);
    System.arraycopy(treeHash, 0, out, signablePrefix.length, 32);
    Bytes.putUint64(out, signablePrefix.length + 32, length);
    Bytes.putUint64(out, signablePrefix.length + 40, fork);
    return out;
  }

  /** Signs a tree state; v11 wraps the raw signature in a one-signer multisig record as hypercore does. */
  public byte[] sign(byte[] treeHash, long length, long fork, byte[] secretKey) {
    byte[] raw = Ed25519.sign(signable(treeHash, length, fork), secretKey);
    if (compat) {
      return raw;
    }
    byte[] out = new byte[2 + SIGNATURE_BYTES + 2];
    out[0] = 1;
    out[1] = 0;
    System.arraycopy(raw, 0, out, 2, SIGNATURE_BYTES);
    return out;
  }

  /** Whether {@code signature} signs the tree state; false (never an exception) for malformed signatures. */
  public boolean verify(byte[] signature, byte[] treeHash, long length, long fork) {
    if (signature == null) {
      return false;
    }
    byte[] raw = compat ? signature : rawSignature(signature);
    return raw != null && raw.length == SIGNATURE_BYTES
        && Ed25519.verify(raw, signable(treeHash, length, fork), publicKey);
  }

  /** The first proof of a single-signer multisig record, or null when it is not one. */
  private static byte[] rawSignature(byte[] multisig) {
    // count(1) signer(1) signature(64) patch(1) patchNodes(1): only the unpatched single-signer form is valid here
    if (multisig.length != 2 + SIGNATURE_BYTES + 2 || multisig[0] != 1 || multisig[1] != 0
        || multisig[2 + SIGNATURE_BYTES] != 0 || multisig[3 + SIGNATURE_BYTES] != 0) {
      return null;
    }
    return Arrays.copyOfRange(multisig, 2, 2 + SIGNATURE_BYTES);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Manifest m && m.compat == compat && Arrays.equals(m.publicKey, publicKey)
        && Arrays.equals(m.namespace, namespace);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }
}
