package io.hyperinfer.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.hyperinfer.crypto.internal.SodiumLibrary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Ed25519 key pairs from seeds, detached signatures and verification (libsodium crypto_sign). Thread-safe. */
public final class Ed25519 {
  public static final int SEED_BYTES = 32;
  public static final int PUBLIC_KEY_BYTES = 32;
  public static final int SECRET_KEY_BYTES = 64;
  public static final int SIGNATURE_BYTES = 64;

  private static final MethodHandle SEED_KEYPAIR = SodiumLibrary.function("crypto_sign_seed_keypair",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
  private static final MethodHandle SIGN = SodiumLibrary.function("crypto_sign_detached",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
  private static final MethodHandle VERIFY = SodiumLibrary.function("crypto_sign_verify_detached",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));

  private Ed25519() {}

  /** A fresh key pair from a random seed. */
  public static KeyPair generate() {
    return fromSeed(Random.bytes(SEED_BYTES));
  }

  /** The key pair determined by a 32-byte seed (as hypercore-crypto's keyPair(seed)). */
  public static KeyPair fromSeed(byte[] seed) {
    if (seed.length != SEED_BYTES) {
      throw CryptoException.badArgument("Ed25519 seed must be 32 bytes, was " + seed.length);
    }
    byte[] pk = new byte[PUBLIC_KEY_BYTES];
    byte[] sk = new byte[SECRET_KEY_BYTES];
    int rc;
    try {
      rc = (int) SEED_KEYPAIR.invokeExact(MemorySegment.ofArray(pk), MemorySegment.ofArray(sk),
          MemorySegment.ofArray(seed));
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_sign_seed_keypair", t);
    }
    if (rc != 0) {
      throw CryptoException.nativeFailure("crypto_sign_seed_keypair", null);
    }
    return new KeyPair(pk, sk);
  }

  /** A 64-byte detached signature of {@code message}. */
  public static byte[] sign(byte[] message, byte[] secretKey) {
    if (secretKey.length != SECRET_KEY_BYTES) {
      throw CryptoException.badArgument("Ed25519 secret key must be 64 bytes, was " + secretKey.length);
    }
    byte[] sig = new byte[SIGNATURE_BYTES];
    int rc;
    try {
      rc = (int) SIGN.invokeExact(MemorySegment.ofArray(sig), MemorySegment.NULL, MemorySegment.ofArray(message),
          (long) message.length, MemorySegment.ofArray(secretKey));
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_sign_detached", t);
    }
    if (rc != 0) {
      throw CryptoException.nativeFailure("crypto_sign_detached", null);
    }
    return sig;
  }

  /** Whether {@code signature} is a valid signature of {@code message} by {@code publicKey}; false on bad sizes. */
  public static boolean verify(byte[] signature, byte[] message, byte[] publicKey) {
    if (signature.length != SIGNATURE_BYTES || publicKey.length != PUBLIC_KEY_BYTES) {
      return false;
    }
    try {
      return (int) VERIFY.invokeExact(MemorySegment.ofArray(signature), MemorySegment.ofArray(message),
          (long) message.length, MemorySegment.ofArray(publicKey)) == 0;
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_sign_verify_detached", t);
    }
  }
}
