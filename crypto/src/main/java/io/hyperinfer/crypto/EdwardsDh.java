package io.hyperinfer.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.hyperinfer.crypto.internal.SodiumLibrary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Diffie-Hellman directly over Ed25519 keys, as noise-curve-ed does it: the clamped SHA-512 scalar of the seed
 * times the remote Edwards point ({@code crypto_scalarmult_ed25519_noclamp}). This is not X25519: the result is a
 * compressed Edwards point, so both sides of a Noise handshake must use this. Thread-safe.
 */
public final class EdwardsDh {
  /** Bytes of a shared secret. */
  public static final int BYTES = 32;

  private static final MethodHandle SCALARMULT = SodiumLibrary.function("crypto_scalarmult_ed25519_noclamp",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));

  private EdwardsDh() {}

  /**
   * The 32-byte shared secret of {@code local} and {@code remotePublicKey}.
   *
   * @throws CryptoException {@code DH_FAILED} when libsodium rejects the remote point or the result
   */
  public static byte[] dh(byte[] remotePublicKey, KeyPair local) {
    if (remotePublicKey.length != Ed25519.PUBLIC_KEY_BYTES) {
      throw CryptoException.badArgument("remote public key must be 32 bytes, was " + remotePublicKey.length);
    }
    byte[] secret = local.secretKey();
    byte[] scalar = scalar(secret);
    Arrays.fill(secret, (byte) 0);
    byte[] out = new byte[BYTES];
    int rc;
    try {
      rc = (int) SCALARMULT.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(scalar),
          MemorySegment.ofArray(remotePublicKey));
    } catch (Throwable t) {
      throw CryptoException.nativeFailure("crypto_scalarmult_ed25519_noclamp", t);
    } finally {
      Arrays.fill(scalar, (byte) 0);
    }
    if (rc != 0) {
      throw new CryptoException(CryptoException.Code.DH_FAILED, "remote key rejected by Edwards DH");
    }
    return out;
  }

  private static byte[] scalar(byte[] secretKey) {
    byte[] digest;
    try {
      MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
      sha512.update(secretKey, 0, Ed25519.SEED_BYTES);
      digest = sha512.digest();
    } catch (NoSuchAlgorithmException e) {
      throw CryptoException.nativeFailure("SHA-512", e);
    }
    byte[] scalar = Arrays.copyOf(digest, BYTES);
    Arrays.fill(digest, (byte) 0);
    scalar[0] &= (byte) 248;
    scalar[31] &= 127;
    scalar[31] |= 64;
    return scalar;
  }
}
