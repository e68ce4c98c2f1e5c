package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.Blake2b;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;

/**
 * HyperDHT's hashing and key pairs ({@code lib/crypto.js}, {@code DHT.hash}, {@code DHT.keyPair}). Thread-safe.
 */
public final class HyperDhtCrypto {
  private HyperDhtCrypto() {}

  /** BLAKE2b-256 of {@code data}: targets of server keys ({@code hash(publicKey)}) and immutable values. */
  public static byte[] hash(byte[] data) {
    return Blake2b.hash(data);
  }

  /** The key pair JS {@code DHT.keyPair(seed)} derives from a 32-byte seed ({@code crypto_sign_seed_keypair}). */
  public static KeyPair keyPair(byte[] seed) {
    return Ed25519.fromSeed(seed);
  }

  /** A fresh random key pair, as JS {@code DHT.keyPair()}. */
  public static KeyPair keyPair() {
    return Ed25519.generate();
  }

  /**
   * The key that seals holepunch payloads ({@code lib/noise-wrap.js final}):
   * {@code BLAKE2b-256(NS_PEER_HOLEPUNCH; key = handshake hash)}.
   */
  public static byte[] holepunchSecret(byte[] handshakeHash) {
    return Blake2b.hash(Namespaces.PEER_HOLEPUNCH, handshakeHash, Blake2b.BYTES);
  }
}
