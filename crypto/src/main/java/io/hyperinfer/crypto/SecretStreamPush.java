package io.hyperinfer.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.hyperinfer.crypto.internal.SodiumLibrary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The sending half of {@code crypto_secretstream_xchacha20poly1305}: a header to send once, then each message
 * sealed in order with 17 bytes of overhead (encrypted tag byte plus MAC). Rekeying at counter wrap is
 * libsodium's. Not thread-safe: one writer owns it.
 */
public final class SecretStreamPush {
  public static final int KEY_BYTES = 32;
  public static final int HEADER_BYTES = 24;
  /** Overhead per message. */
  public static final int ABYTES = 17;
  public static final byte TAG_MESSAGE = 0;

  static final MethodHandle INIT_PULL = SodiumLibrary.function("crypto_secretstream_xchacha20poly1305_init_pull",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
  static final int STATE_BYTES = stateBytes();
  private static final MethodHandle INIT_PUSH = SodiumLibrary.function(
      "crypto_secretstream_xchacha20poly1305_init_push", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
  private static final MethodHandle PUSH = SodiumLibrary.function("crypto_secretstream_xchacha20poly1305_push",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_BYTE));

  private final byte[] state = new byte[STATE_BYTES];
  private final byte[] header = new byte[HEADER_BYTES];

  /** A stream under {@code key} with a fresh random header. */
  public SecretStreamPush(byte[] key) {
    checkKey(key);
    call(INIT_PUSH, "init_push", header, key);
  }

  private SecretStreamPush(byte[] key, byte[] header) {
    checkKey(key);
    if (header.length != HEADER_BYTES) {
      throw CryptoException.badArgument("secretstream header must be 24 bytes");
    }
    System.arraycopy(header, 0, this.header, 0, HEADER_BYTES);
    // init_pull derives exactly the state init_push would have from this header; only the header's origin differs.
    call(INIT_PULL, "init_pull", this.header, key);
  }

  /** A stream under {@code key} with a chosen header, for reproducing captured vectors; never reuse a header. */
  public static SecretStreamPush withHeader(byte[] key, byte[] header) {
    return new SecretStreamPush(key, header);
  }

  /** The 24-byte header the receiver needs (a copy). */
  public byte[] header() {
    return header.clone();
  }

  /** {@code message} sealed with TAG_MESSAGE: {@code message.length + 17} bytes. */
  public byte[] push(byte[] message) {
    byte[] out = new byte[message.length + ABYTES];
    push(message, 0, message.length, out, 0);
    return out;
  }

  /** Seals {@code message[offset .. offset+length)} into {@code out} at {@code outOffset} ({@code length + 17} bytes). */
  public void push(byte[] message, int offset, int length, byte[] out, int outOffset) {
    int rc;
    try {
      rc = (int) PUSH.invokeExact(MemorySegment.ofArray(state), MemorySegment.ofArray(out).asSlice(outOffset,
          length + ABYTES), MemorySegment.NULL, MemorySegment.ofArray(message).asSlice(offset, length),
          (long) length, MemorySegment.NULL, 0L, TAG_MESSAGE);
    } catch (IndexOutOfBoundsException e) {
      throw CryptoException.badArgument("secretstream push outside its arrays");
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_secretstream_xchacha20poly1305_push", t);
    }
    if (rc != 0) {
      throw CryptoException.nativeFailure("crypto_secretstream_xchacha20poly1305_push", null);
    }
  }

  private void call(MethodHandle init, String name, byte[] headerBytes, byte[] key) {
    int rc;
    try {
      rc = (int) init.invokeExact(MemorySegment.ofArray(state), MemorySegment.ofArray(headerBytes),
          MemorySegment.ofArray(key));
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_secretstream_xchacha20poly1305_" + name, t);
    }
    if (rc != 0) {
      throw CryptoException.nativeFailure("crypto_secretstream_xchacha20poly1305_" + name, null);
    }
  }

  static void checkKey(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw CryptoException.badArgument("secretstream key must be 32 bytes, was " + key.length);
    }
  }

  private static int stateBytes() {
    try {
      return (int) (long) SodiumLibrary.function("crypto_secretstream_xchacha20poly1305_statebytes",
          FunctionDescriptor.of(JAVA_LONG)).invokeExact();
    } catch (Throwable t) {
      throw new ExceptionInInitializerError(t);
    }
  }
}
