package io.hyperinfer.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.hyperinfer.crypto.internal.SodiumLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * Argon2id password hashing in libsodium's self-describing string form ({@code $argon2id$v=19$m=...}).
 * The string carries its own salt and cost, so stored hashes stay verifiable after the cost changes.
 * Verification is constant-time inside libsodium. Thread-safe.
 *
 * @param opsLimit Argon2 passes (libsodium's "interactive" is 2)
 * @param memLimitBytes memory per hash (libsodium's "interactive" is 64 MiB)
 */
public record PasswordHash(long opsLimit, long memLimitBytes) {
  /** libsodium's interactive limits: for online logins. */
  public static final PasswordHash INTERACTIVE = new PasswordHash(2, 64L << 20);
  /** The cheapest limits Argon2id accepts: only for tests, where hashing cost is noise. */
  public static final PasswordHash MINIMUM_FOR_TESTS = new PasswordHash(1, 8L << 10);

  private static final int STR_BYTES = 128;
  private static final int ALG_ARGON2ID13 = 2;
  private static final MethodHandle STR_ALG = SodiumLibrary.slowFunction("crypto_pwhash_str_alg",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT));
  private static final MethodHandle STR_VERIFY = SodiumLibrary.slowFunction("crypto_pwhash_str_verify",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
  private static final MethodHandle NEEDS_REHASH = SodiumLibrary.function("crypto_pwhash_str_needs_rehash",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));

  public PasswordHash {
    if (opsLimit < 1 || memLimitBytes < 8L << 10) {
      throw CryptoException.badArgument("Argon2id needs opsLimit >= 1 and memLimit >= 8 KiB");
    }
  }

  /** Hashes {@code password} with a fresh random salt. */
  public String hash(char[] password) {
    byte[] pw = utf8(password);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(STR_BYTES);
      MemorySegment in = arena.allocateFrom(ValueLayout.JAVA_BYTE, pw);
      int rc = (int) STR_ALG.invokeExact(out, in, (long) pw.length, opsLimit, memLimitBytes, ALG_ARGON2ID13);
      if (rc != 0) {
        throw new CryptoException(CryptoException.Code.NATIVE_FAILURE, "Argon2id hashing failed (out of memory?)");
      }
      return out.getString(0, StandardCharsets.US_ASCII);
    } catch (CryptoException e) {
      throw e;
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_pwhash_str_alg", t);
    } finally {
      java.util.Arrays.fill(pw, (byte) 0);
    }
  }

  /** Whether {@code password} matches {@code stored}; false for a malformed stored string. */
  public static boolean verify(String stored, char[] password) {
    byte[] pw = utf8(password);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment str = arena.allocateFrom(stored, StandardCharsets.US_ASCII);
      MemorySegment in = arena.allocateFrom(ValueLayout.JAVA_BYTE, pw);
      return (int) STR_VERIFY.invokeExact(str, in, (long) pw.length) == 0;
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_pwhash_str_verify", t);
    } finally {
      java.util.Arrays.fill(pw, (byte) 0);
    }
  }

  /** Whether {@code stored} was made with other limits than these, so it should be re-hashed at next login. */
  public boolean needsRehash(String stored) {
    byte[] str = (stored + "\0").getBytes(StandardCharsets.US_ASCII);
    try {
      return (int) NEEDS_REHASH.invokeExact(MemorySegment.ofArray(str), opsLimit, memLimitBytes) != 0;
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_pwhash_str_needs_rehash", t);
    }
  }

  private static byte[] utf8(char[] password) {
    var buf = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    java.util.Arrays.fill(buf.array(), (byte) 0);
    return out;
  }
}
