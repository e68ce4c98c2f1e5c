package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.Blake2b;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.hyperdht.wire.Announce;
import io.hyperinfer.hyperdht.wire.MutableSignable;
import io.hyperinfer.hyperdht.wire.Peer;

/**
 * The signed statements of HyperDHT ({@code lib/persistent.js annSignable, signAnnounce, signUnannounce,
 * signMutable, verifyMutable}). Every signable is 64 bytes: a 32-byte namespace, then a BLAKE2b-256 hash.
 *
 * <p>Announce and unannounce signatures are bound to the storing node: the hash covers
 * {@code target ‖ nodeId ‖ token ‖ encode(peer) ‖ refresh-or-nothing}, where nodeId and token are that node's id and
 * the token it handed out. A client therefore signs once per storing node, and the node verifies with its own id and
 * the token the request carried. Thread-safe.
 */
public final class Signatures {
  private static final byte[] EMPTY = new byte[0];

  private Signatures() {}

  /** The 64 bytes an announce (with {@code unannounce} false) or unannounce signature covers. */
  public static byte[] announceSignable(byte[] target, byte[] nodeId, byte[] token, Peer peer, byte[] refresh,
      boolean unannounce) {
    byte[] hash = Blake2b.batch(target, nodeId, token, Compact.encode(Peer.CODEC, peer),
        refresh == null ? EMPTY : refresh);
    return concat(unannounce ? Namespaces.UNANNOUNCE : Namespaces.ANNOUNCE, hash);
  }

  /** Signs {@code announce}'s peer and refresh for the node {@code nodeId} that handed out {@code token}. */
  public static byte[] signAnnounce(byte[] target, byte[] token, byte[] nodeId, Announce announce, KeyPair keyPair) {
    return sign(target, token, nodeId, announce, keyPair, false);
  }

  /** Signs an unannounce of {@code announce}'s peer for the node {@code nodeId} that handed out {@code token}. */
  public static byte[] signUnannounce(byte[] target, byte[] token, byte[] nodeId, Announce announce,
      KeyPair keyPair) {
    return sign(target, token, nodeId, announce, keyPair, true);
  }

  /**
   * Whether {@code announce} carries a valid signature by its peer's key for this node ({@code nodeId}) and this
   * token. False without a peer or a signature.
   */
  public static boolean verifyAnnounce(byte[] target, byte[] token, byte[] nodeId, Announce announce,
      boolean unannounce) {
    if (announce.peer() == null || announce.signature() == null) {
      return false;
    }
    byte[] signable = announceSignable(target, nodeId, token, announce.peer(), announce.refresh(), unannounce);
    return Ed25519.verify(announce.signature(), signable, announce.peer().publicKey());
  }

  /** The 64 bytes a mutable record's signature covers: {@code NS_MUTABLE_PUT ‖ hash(mutableSignable{seq, value})}. */
  public static byte[] mutableSignable(long seq, byte[] value) {
    byte[] hash = Blake2b.hash(Compact.encode(MutableSignable.CODEC, new MutableSignable(seq, value)));
    return concat(Namespaces.MUTABLE_PUT, hash);
  }

  /** Signs a mutable record. */
  public static byte[] signMutable(long seq, byte[] value, KeyPair keyPair) {
    return Ed25519.sign(mutableSignable(seq, value), keyPair.secretKey());
  }

  /** Whether {@code signature} signs this mutable record under {@code publicKey}. */
  public static boolean verifyMutable(byte[] signature, long seq, byte[] value, byte[] publicKey) {
    return Ed25519.verify(signature, mutableSignable(seq, value), publicKey);
  }

  private static byte[] sign(byte[] target, byte[] token, byte[] nodeId, Announce announce, KeyPair keyPair,
      boolean unannounce) {
    if (announce.peer() == null) {
      throw new IllegalArgumentException("only an announce with a peer record can be signed");
    }
    byte[] signable = announceSignable(target, nodeId, token, announce.peer(), announce.refresh(), unannounce);
    return Ed25519.sign(signable, keyPair.secretKey());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
