package io.hyperinfer.secretstream.internal;

import io.hyperinfer.crypto.Blake2b;
import java.nio.charset.StandardCharsets;

/**
 * secret-stream's namespaces, derived as hypercore-crypto's {@code namespace('hyperswarm/secret-stream', 3)}:
 * BLAKE2b-256 of the name, then BLAKE2b-256 of that hash followed by the index byte. Thread-safe.
 */
public final class Namespaces {
  private static final byte[] BASE = Blake2b.hash("hyperswarm/secret-stream".getBytes(StandardCharsets.US_ASCII));
  static final byte[] INITIATOR = derive(0);
  static final byte[] RESPONDER = derive(1);
  static final byte[] SEND = derive(2);

  private Namespaces() {}

  /** The 32-byte id a side announces in its header: BLAKE2b-256 of its role's namespace keyed by the hash. */
  public static byte[] streamId(byte[] handshakeHash, boolean initiator) {
    return Blake2b.hash(initiator ? INITIATOR : RESPONDER, handshakeHash, Blake2b.BYTES);
  }

  static byte[] sendKey(byte[] handshakeHash, boolean initiator) {
    return Blake2b.batch(new byte[][] {initiator ? INITIATOR : RESPONDER, SEND}, handshakeHash, Blake2b.BYTES);
  }

  private static byte[] derive(int index) {
    byte[] input = new byte[33];
    System.arraycopy(BASE, 0, input, 0, 32);
    input[32] = (byte) index;
    return Blake2b.hash(input);
  }
}
