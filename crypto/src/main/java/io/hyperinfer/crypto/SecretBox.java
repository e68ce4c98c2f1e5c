package io.hyperinfer.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.hyperinfer.crypto.internal.SodiumLibrary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** XSalsa20-Poly1305 ({@code crypto_secretbox_easy}/{@code _open_easy}): MAC followed by ciphertext. Thread-safe. */
public final class SecretBox {
  public static final int KEY_BYTES = 32;
  public static final int NONCE_BYTES = 24;
  public static final int MAC_BYTES = 16;

  private static final FunctionDescriptor BOX = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG,
      ADDRESS, ADDRESS);
  private static final MethodHandle EASY = SodiumLibrary.function("crypto_secretbox_easy", BOX);
  private static final MethodHandle OPEN_EASY = SodiumLibrary.function("crypto_secretbox_open_easy", BOX);

  private SecretBox() {}

  /** {@code message} sealed under {@code key} and {@code nonce}: 16-byte MAC then ciphertext. */
  public static byte[] easy(byte[] message, byte[] nonce, byte[] key) {
    check(nonce, key);
    byte[] out = new byte[message.length + MAC_BYTES];
    int rc;
    try {
      rc = (int) EASY.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(message), (long) message.length,
          MemorySegment.ofArray(nonce), MemorySegment.ofArray(key));
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_secretbox_easy", t);
    }
    if (rc != 0) {
      throw CryptoException.nativeFailure("crypto_secretbox_easy", null);
    }
    return out;
  }

  /**
   * The message inside {@code box}.
   *
   * @throws CryptoException {@code DECRYPT_FAILED} when the box is short or does not authenticate
   */
  public static byte[] openEasy(byte[] box, byte[] nonce, byte[] key) {
    check(nonce, key);
    if (box.length < MAC_BYTES) {
      throw CryptoException.decryptFailed("secretbox shorter than its MAC");
    }
    byte[] out = new byte[box.length - MAC_BYTES];
    int rc;
    try {
      rc = (int) OPEN_EASY.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(box), (long) box.length,
          MemorySegment.ofArray(nonce), MemorySegment.ofArray(key));
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_secretbox_open_easy", t);
    }
    if (rc != 0) {
      throw CryptoException.decryptFailed("secretbox");
    }
    return out;
  }

  private static void check(byte[] nonce, byte[] key) {
    if (nonce.length != NONCE_BYTES || key.length != KEY_BYTES) {
      throw CryptoException.badArgument("secretbox needs a 24-byte nonce and a 32-byte key");
    }
  }
}
