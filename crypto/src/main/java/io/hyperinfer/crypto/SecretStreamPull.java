package io.hyperinfer.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.hyperinfer.crypto.internal.SodiumLibrary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The receiving half of {@code crypto_secretstream_xchacha20poly1305}: built from the sender's header, it opens
 * messages in the order they were pushed. The tag is read but not acted on, as the JS receiver does. Not
 * thread-safe: one reader owns it.
 */
public final class SecretStreamPull {
  private static final MethodHandle PULL = SodiumLibrary.function("crypto_secretstream_xchacha20poly1305_pull",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));

  private final byte[] state = new byte[SecretStreamPush.STATE_BYTES];
  private final byte[] tag = new byte[1];

  /** A receiver for the stream that {@code header} starts under {@code key}. */
  public SecretStreamPull(byte[] key, byte[] header) {
    SecretStreamPush.checkKey(key);
    if (header.length != SecretStreamPush.HEADER_BYTES) {
      throw CryptoException.badArgument("secretstream header must be 24 bytes");
    }
    int rc;
    try {
      rc = (int) SecretStreamPush.INIT_PULL.invokeExact(MemorySegment.ofArray(state), MemorySegment.ofArray(header),
          MemorySegment.ofArray(key));
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_secretstream_xchacha20poly1305_init_pull", t);
    }
    if (rc != 0) {
      throw CryptoException.nativeFailure("crypto_secretstream_xchacha20poly1305_init_pull", null);
    }
  }

  /** The plaintext of {@code ciphertext}. */
  public byte[] pull(byte[] ciphertext) {
    return pull(ciphertext, 0, ciphertext.length);
  }

  /**
   * The plaintext of {@code ciphertext[offset .. offset+length)}.
   *
   * @throws CryptoException {@code DECRYPT_FAILED} when shorter than 17 bytes, forged, or out of order; the
   *     stream is then unusable and the caller must tear it down
   */
  public byte[] pull(byte[] ciphertext, int offset, int length) {
    if (length < SecretStreamPush.ABYTES) {
      throw CryptoException.decryptFailed("secretstream message shorter than 17 bytes");
    }
    byte[] out = new byte[length - SecretStreamPush.ABYTES];
    int rc;
    try {
      rc = (int) PULL.invokeExact(MemorySegment.ofArray(state), MemorySegment.ofArray(out), MemorySegment.NULL,
          MemorySegment.ofArray(tag), MemorySegment.ofArray(ciphertext).asSlice(offset, length), (long) length,
          MemorySegment.NULL, 0L);
    } catch (IndexOutOfBoundsException e) {
      throw CryptoException.badArgument("secretstream pull outside its array");
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_secretstream_xchacha20poly1305_pull", t);
    }
    if (rc != 0) {
      throw CryptoException.decryptFailed("secretstream");
    }
    return out;
  }

  /** The tag of the last message pulled (0 = MESSAGE). */
  public int lastTag() {
    return tag[0] & 0xff;
  }
}
