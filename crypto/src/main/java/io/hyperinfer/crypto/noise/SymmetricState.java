package io.hyperinfer.crypto.noise;

import io.hyperinfer.crypto.Blake2b;
import io.hyperinfer.crypto.ChaCha20Poly1305;
import io.hyperinfer.crypto.CryptoException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Noise's chaining key, handshake hash and handshake cipher with BLAKE2b-512 (HASHLEN 64) and ChaChaPoly.
 * Not thread-safe: owned by one {@link NoiseHandshake}.
 */
final class SymmetricState {
  static final int HASH_LEN = 64;
  private static final int BLOCK_LEN = 128;
  private static final int KEY_LEN = 32;
  private static final int MAX_MESSAGE = 65535;
  private static final byte[] EMPTY = new byte[0];

  private byte[] h;
  private byte[] ck;
  private byte[] key;
  private long nonce;

  SymmetricState(String protocolName) {
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    h = name.length <= HASH_LEN ? Arrays.copyOf(name, HASH_LEN) : Blake2b.hash(name, null, HASH_LEN);
    ck = h.clone();
  }

  void mixHash(byte[] data) {
    h = Blake2b.batch(new byte[][] {h, data}, null, HASH_LEN);
  }

  void mixKey(byte[] inputKeyMaterial) {
    byte[][] out = hkdf(ck, inputKeyMaterial);
    ck = out[0];
    key = Arrays.copyOf(out[1], KEY_LEN);
    nonce = 0;
  }

  boolean hasKey() {
    return key != null;
  }

  byte[] encryptAndHash(byte[] plaintext) {
    byte[] ciphertext = key == null ? plaintext : ChaCha20Poly1305.encrypt(key, nonce(), h, plaintext);
    if (ciphertext.length > MAX_MESSAGE) {
      throw CryptoException.handshakeFailed("Noise ciphertext longer than 65535 bytes");
    }
    nonce++;
    mixHash(ciphertext);
    return ciphertext;
  }

  byte[] decryptAndHash(byte[] ciphertext) {
    if (ciphertext.length > MAX_MESSAGE) {
      throw CryptoException.handshakeFailed("Noise ciphertext longer than 65535 bytes");
    }
    byte[] plaintext;
    try {
      plaintext = key == null ? ciphertext : ChaCha20Poly1305.decrypt(key, nonce(), h, ciphertext);
    } catch (CryptoException e) {
      throw CryptoException.handshakeFailed("Noise message failed to authenticate");
    }
    nonce++;
    mixHash(ciphertext);
    return plaintext;
  }

  byte[] handshakeHash() {
    return h.clone();
  }

  /** The two transport keys, first for the initiator's sending direction. */
  byte[][] split() {
    byte[][] out = hkdf(ck, EMPTY);
    return new byte[][] {Arrays.copyOf(out[0], KEY_LEN), Arrays.copyOf(out[1], KEY_LEN)};
  }

  private byte[] nonce() {
    byte[] n = new byte[ChaCha20Poly1305.NONCE_BYTES];
    for (int i = 0; i < 8; i++) {
      n[4 + i] = (byte) (nonce >>> (8 * i));
    }
    return n;
  }

  static byte[][] hkdf(byte[] salt, byte[] inputKeyMaterial) {
    byte[] prk = hmac(salt, inputKeyMaterial);
    byte[] t1 = hmac(prk, new byte[] {1});
    byte[] t2 = hmac(prk, t1, new byte[] {2});
    return new byte[][] {t1, t2};
  }

  static byte[] hmac(byte[] key, byte[]... data) {
    byte[] block = key.length > BLOCK_LEN ? Blake2b.hash(key, null, HASH_LEN) : key;
    byte[] inner = new byte[BLOCK_LEN];
    byte[] outer = new byte[BLOCK_LEN];
    for (int i = 0; i < BLOCK_LEN; i++) {
      byte k = i < block.length ? block[i] : 0;
      inner[i] = (byte) (k ^ 0x36);
      outer[i] = (byte) (k ^ 0x5c);
    }
    byte[][] innerInputs = new byte[data.length + 1][];
    innerInputs[0] = inner;
    System.arraycopy(data, 0, innerInputs, 1, data.length);
    byte[] innerHash = Blake2b.batch(innerInputs, null, HASH_LEN);
    return Blake2b.batch(new byte[][] {outer, innerHash}, null, HASH_LEN);
  }
}
