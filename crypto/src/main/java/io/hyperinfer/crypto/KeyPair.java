package io.hyperinfer.crypto;

import java.util.HexFormat;

/**
 * An Ed25519 key pair: a 32-byte public key and libsodium's 64-byte secret key (seed followed by public key).
 * Immutable; the arrays are copied in and out.
 */
public record KeyPair(byte[] publicKey, byte[] secretKey) {
  public KeyPair {
    if (publicKey.length != Ed25519.PUBLIC_KEY_BYTES || secretKey.length != Ed25519.SECRET_KEY_BYTES) {
      throw CryptoException.badArgument("Ed25519 key pair needs a 32-byte public and 64-byte secret key");
    }
    publicKey = publicKey.clone();
    secretKey = secretKey.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] secretKey() {
    return secretKey.clone();
  }

  /** The public key in lowercase hex, the form workers use to name each other. */
  public String publicKeyHex() {
    return HexFormat.of().formatHex(publicKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyPair k && java.util.Arrays.equals(publicKey, k.publicKey)
        && java.security.MessageDigest.isEqual(secretKey, k.secretKey);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(publicKey);
  }

  /** Never prints the secret key. */
  @Override
  public String toString() {
    return "KeyPair[publicKey=" + publicKeyHex() + "]";
  }
}
