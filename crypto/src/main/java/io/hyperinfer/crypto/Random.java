package io.hyperinfer.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.hyperinfer.crypto.internal.SodiumLibrary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Cryptographically secure random bytes from libsodium's randombytes_buf. Thread-safe. */
public final class Random {
  private static final MethodHandle BUF = SodiumLibrary.function("randombytes_buf",
      FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG));

  private Random() {}

  /** {@code length} fresh random bytes. */
  public static byte[] bytes(int length) {
    byte[] out = new byte[length];
    fill(out);
    return out;
  }

  /** Overwrites {@code target} with random bytes. */
  public static void fill(byte[] target) {
    try {
      BUF.invokeExact(MemorySegment.ofArray(target), (long) target.length);
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("randombytes_buf", t);
    }
  }
}
