package io.hyperinfer.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.hyperinfer.crypto.internal.SodiumLibrary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** ChaCha20-Poly1305 IETF AEAD ({@code crypto_aead_chacha20poly1305_ietf_*}), the Noise cipher. Thread-safe. */
public final class ChaCha20Poly1305 {
  public static final int KEY_BYTES = 32;
  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;

  private static final MethodHandle ENCRYPT = SodiumLibrary.function("crypto_aead_chacha20poly1305_ietf_encrypt",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS,
          ADDRESS));
  private static final MethodHandle DECRYPT = SodiumLibrary.function("crypto_aead_chacha20poly1305_ietf_decrypt",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS,
          ADDRESS));

  private ChaCha20Poly1305() {}

  /** {@code plaintext} sealed: ciphertext followed by a 16-byte tag. */
  public static byte[] encrypt(byte[] key, byte[] nonce, byte[] ad, byte[] plaintext) {
    check(key, nonce);
    byte[] out = new byte[plaintext.length + TAG_BYTES];
    int rc;
    try {
      rc = (int) ENCRYPT.invokeExact(MemorySegment.ofArray(out), MemorySegment.NULL, MemorySegment.ofArray(plaintext),
          (long) plaintext.length, MemorySegment.ofArray(ad), (long) ad.length, MemorySegment.NULL,
          MemorySegment.ofArray(nonce), MemorySegment.ofArray(key));
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_aead_chacha20poly1305_ietf_encrypt", t);
    }
    if (rc != 0) {
      throw CryptoException.nativeFailure("crypto_aead_chacha20poly1305_ietf_encrypt", null);
    }
    return out;
  }

  /**
   * The plaintext of {@code ciphertext} (ciphertext followed by tag).
   *
   * @throws CryptoException {@code DECRYPT_FAILED} when the tag does not authenticate
   */
  public static byte[] decrypt(byte[] key, byte[] nonce, byte[] ad, byte[] ciphertext) {
    check(key, nonce);
    if (ciphertext.length < TAG_BYTES) {
      throw CryptoException.decryptFailed("ChaCha20-Poly1305 ciphertext shorter than its tag");
    }
    byte[] out = new byte[ciphertext.length - TAG_BYTES];
    int rc;
    try {
      rc = (int) DECRYPT.invokeExact(MemorySegment.ofArray(out), MemorySegment.NULL, MemorySegment.NULL,
          MemorySegment.ofArray(ciphertext), (long) ciphertext.length, MemorySegment.ofArray(ad), (long) ad.length,
          MemorySegment.ofArray(nonce), MemorySegment.ofArray(key));
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_aead_chacha20poly1305_ietf_decrypt", t);
    }
    if (rc != 0) {
      throw CryptoException.decryptFailed("ChaCha20-Poly1305");
    }
    return out;
  }

  private static void check(byte[] key, byte[] nonce) {
    if (key.length != KEY_BYTES || nonce.length != NONCE_BYTES) {
      throw CryptoException.badArgument("ChaCha20-Poly1305 needs a 32-byte key and a 12-byte nonce");
    }
  }
}
