package io.hyperinfer.hypercore;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.hyperinfer.crypto.Blake2b;
import io.hyperinfer.crypto.internal.SodiumLibrary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

/**
 * Hypercore's default block encryption: XSalsa20 keyed per core, the nonce made of the block index and the blinded
 * fork id, which is stored as an 8-byte prefix of each block. Blocks are hashed and signed encrypted, so replicas
 * verify without the key. Immutable and thread-safe.
 */
public final class BlockEncryption {
  /** Bytes each encrypted block carries in front of its ciphertext (the blinded fork id). */
  public static final int PADDING = 8;
  private static final int NONCE_BYTES = 24;
  private static final MethodHandle STREAM_XOR = SodiumLibrary.function("crypto_stream_xor",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));

  private final byte[] blockKey;
  private final byte[] blindingKey;

  private BlockEncryption(byte[] blockKey) {
    this.blockKey = blockKey;
    this.blindingKey = Blake2b.hash(blockKey);
  }

  /** The encryption JS hypercore 11 uses for {@code encryption: { key }} on a core with key {@code coreKey}. */
  public static BlockEncryption of(byte[] encryptionKey, byte[] coreKey) {
    if (encryptionKey == null || encryptionKey.length != 32 || coreKey == null || coreKey.length != 32) {
      throw HypercoreException.badArgument("encryption and core keys are 32 bytes");
    }
    return new BlockEncryption(Blake2b.batch(CoreCrypto.DEFAULT_ENCRYPTION, coreKey, encryptionKey));
  }

  /** Encrypts block {@code index} written on {@code fork}: padding (blinded fork) followed by the ciphertext. */
  public byte[] encrypt(long index, byte[] plain, long fork) {
    byte[] nonce = new byte[NONCE_BYTES];
    Bytes.putUint64(nonce, 0, index);
    byte[] padding = xor(Bytes.uint64(fork), nonce, blindingKey);
    System.arraycopy(padding, 0, nonce, 8, PADDING);
    byte[] out = new byte[PADDING + plain.length];
    System.arraycopy(padding, 0, out, 0, PADDING);
    System.arraycopy(xor(plain, nonce, blockKey), 0, out, PADDING, plain.length);
    return out;
  }

  /** Decrypts a stored block {@code index}; BAD_ARGUMENT when it is shorter than its padding. */
  public byte[] decrypt(long index, byte[] block) {
    if (block.length < PADDING) {
      throw HypercoreException.badArgument("encrypted block " + index + " is shorter than its padding");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    Bytes.putUint64(nonce, 0, index);
    System.arraycopy(block, 0, nonce, 8, PADDING);
    return xor(Arrays.copyOfRange(block, PADDING, block.length), nonce, blockKey);
  }

  private static byte[] xor(byte[] in, byte[] nonce, byte[] key) {
    byte[] out = new byte[in.length];
    try {
      int rc = (int) STREAM_XOR.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(in), (long) in.length,
          MemorySegment.ofArray(nonce), MemorySegment.ofArray(key));
      if (rc != 0) {
        throw HypercoreException.of(HypercoreException.Code.STORAGE_ERROR, "crypto_stream_xor failed");
      }
    } catch (HypercoreException e) {
      throw e;
    } catch (Throwable t) {
      throw HypercoreException.storage("crypto_stream_xor failed", t);
    }
    return out;
  }
}
