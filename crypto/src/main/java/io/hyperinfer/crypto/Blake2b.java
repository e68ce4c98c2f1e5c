package io.hyperinfer.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.hyperinfer.crypto.internal.SodiumLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/** BLAKE2b (libsodium's crypto_generichash): plain, keyed, and over a batch of inputs. Thread-safe. */
public final class Blake2b {
  public static final int BYTES = 32;
  public static final int BYTES_MIN = 16;
  public static final int BYTES_MAX = 64;
  public static final int KEY_BYTES_MAX = 64;

  private static final MethodHandle HASH = SodiumLibrary.function("crypto_generichash",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
  private static final MethodHandle INIT = SodiumLibrary.function("crypto_generichash_init",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG));
  private static final MethodHandle UPDATE = SodiumLibrary.function("crypto_generichash_update",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
  private static final MethodHandle FINAL = SodiumLibrary.function("crypto_generichash_final",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
  private static final MethodHandle STATE_BYTES = SodiumLibrary.function("crypto_generichash_statebytes",
      FunctionDescriptor.of(JAVA_LONG));
  private static final long STATE_SIZE = stateSize();

  private Blake2b() {}

  /** 32-byte BLAKE2b of {@code input}. */
  public static byte[] hash(byte[] input) {
    return hash(input, null, BYTES);
  }

  /** The topic key hyperdht uses for a topic name: BLAKE2b-256 of its UTF-8 bytes. */
  public static byte[] topic(String name) {
    return hash(name.getBytes(StandardCharsets.UTF_8));
  }

  /** BLAKE2b of {@code input} with an optional key ({@code null} for none) and an output length of 16..64. */
  public static byte[] hash(byte[] input, byte[] key, int outputLength) {
    checkLengths(key, outputLength);
    byte[] out = new byte[outputLength];
    int rc;
    try {
      rc = (int) HASH.invokeExact(MemorySegment.ofArray(out), (long) outputLength, MemorySegment.ofArray(input),
          (long) input.length, keySegment(key), key == null ? 0L : (long) key.length);
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_generichash", t);
    }
    if (rc != 0) {
      throw CryptoException.nativeFailure("crypto_generichash", null);
    }
    return out;
  }

  /** BLAKE2b over the concatenation of {@code inputs}, without concatenating them. */
  public static byte[] batch(byte[][] inputs, byte[] key, int outputLength) {
    checkLengths(key, outputLength);
    byte[] out = new byte[outputLength];
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(STATE_SIZE, 64);
      check((int) INIT.invokeExact(state, keySegment(key), key == null ? 0L : (long) key.length, (long) outputLength));
      for (byte[] input : inputs) {
        check((int) UPDATE.invokeExact(state, MemorySegment.ofArray(input), (long) input.length));
      }
      check((int) FINAL.invokeExact(state, MemorySegment.ofArray(out), (long) outputLength));
    } catch (CryptoException e) {
      throw e;
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_generichash (batch)", t);
    }
    return out;
  }

  /** 32-byte BLAKE2b over the concatenation of {@code inputs}. */
  public static byte[] batch(byte[]... inputs) {
    return batch(inputs, null, BYTES);
  }

  private static MemorySegment keySegment(byte[] key) {
    return key == null ? MemorySegment.NULL : MemorySegment.ofArray(key);
  }

  private static void checkLengths(byte[] key, int outputLength) {
    if (outputLength < BYTES_MIN || outputLength > BYTES_MAX) {
      throw CryptoException.badArgument("BLAKE2b output length must be 16..64, was " + outputLength);
    }
    if (key != null && key.length > KEY_BYTES_MAX) {
      throw CryptoException.badArgument("BLAKE2b key must be at most 64 bytes, was " + key.length);
    }
  }

  private static void check(int rc) {
    if (rc != 0) {
      throw CryptoException.nativeFailure("crypto_generichash", null);
    }
  }

  private static long stateSize() {
    try {
      return (long) STATE_BYTES.invokeExact();
    } catch (Throwable t) {
      throw new ExceptionInInitializerError(t);
    }
  }
}
