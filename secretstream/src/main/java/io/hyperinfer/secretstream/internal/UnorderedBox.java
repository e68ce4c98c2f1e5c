package io.hyperinfer.secretstream.internal;

import io.hyperinfer.crypto.CryptoException;
import io.hyperinfer.crypto.SecretBox;
import java.util.Arrays;

/**
 * secret-stream's unordered messages ({@code send}/{@code trySend}): an 8-byte little-endian counter, bumped
 * before each message, followed by a secretbox sealed under the role's send key with the counter zero-padded to
 * a nonce. Thread-safe.
 */
public final class UnorderedBox {
  private static final int COUNTER_BYTES = 8;
  private final byte[] sealKey;
  private final byte[] openKey;
  private final byte[] counter;
  private final byte[] initial;

  public UnorderedBox(byte[] handshakeHash, boolean initiator, byte[] initialCounter) {
    this.sealKey = Namespaces.sendKey(handshakeHash, initiator);
    this.openKey = Namespaces.sendKey(handshakeHash, !initiator);
    this.initial = initialCounter.clone();
    this.counter = initialCounter.clone();
  }

  /** The envelope for {@code message}, or null once the counter has wrapped round to its start. */
  public synchronized byte[] seal(byte[] message) {
    increment(counter);
    if (Arrays.equals(counter, initial)) {
      return null;
    }
    byte[] box = SecretBox.easy(message, nonce(counter, 0), sealKey);
    byte[] envelope = new byte[COUNTER_BYTES + box.length];
    System.arraycopy(counter, 0, envelope, 0, COUNTER_BYTES);
    System.arraycopy(box, 0, envelope, COUNTER_BYTES, box.length);
    return envelope;
  }

  /** The message inside the peer's {@code envelope}, or null if it is short or forged (dropped silently). */
  public byte[] open(byte[] envelope) {
    if (envelope.length < COUNTER_BYTES + SecretBox.MAC_BYTES) {
      return null;
    }
    try {
      return SecretBox.openEasy(Arrays.copyOfRange(envelope, COUNTER_BYTES, envelope.length),
          nonce(envelope, 0), openKey);
    } catch (CryptoException e) {
      return null;
    }
  }

  private static byte[] nonce(byte[] source, int offset) {
    byte[] nonce = new byte[SecretBox.NONCE_BYTES];
    System.arraycopy(source, offset, nonce, 0, COUNTER_BYTES);
    return nonce;
  }

  private static void increment(byte[] n) {
    for (int i = 0; i < n.length && ++n[i] == 0; i++) {
      // carry into the next byte, as sodium_increment does
    }
  }
}
