package io.hyperinfer.crypto.noise;

/**
 * What a finished Noise handshake yields: the transport keys for each direction, the 64-byte handshake hash
 * (secret-stream derives its stream ids from it) and both static public keys. Immutable; arrays are copied.
 *
 * @param tx key for sending
 * @param rx key for receiving
 * @param handshakeHash the final Noise h, 64 bytes
 * @param publicKey the local static public key
 * @param remotePublicKey the peer's static public key
 */
public record HandshakeResult(byte[] tx, byte[] rx, byte[] handshakeHash, byte[] publicKey, byte[] remotePublicKey) {
  public HandshakeResult {
    tx = tx.clone();
    rx = rx.clone();
    handshakeHash = handshakeHash.clone();
    publicKey = publicKey.clone();
    remotePublicKey = remotePublicKey.clone();
  }

  @Override public byte[] tx() { return tx.clone(); }
  @Override public byte[] rx() { return rx.clone(); }
  @Override public byte[] handshakeHash() { return handshakeHash.clone(); }
  @Override public byte[] publicKey() { return publicKey.clone(); }
  @Override public byte[] remotePublicKey() { return remotePublicKey.clone(); }

  /** Never prints the keys. */
  @Override
  public String toString() {
    return "HandshakeResult[remotePublicKey=" + java.util.HexFormat.of().formatHex(remotePublicKey) + "]";
  }
}
