package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.CryptoException;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.crypto.noise.HandshakeResult;
import io.hyperinfer.crypto.noise.NoiseHandshake;
import io.hyperinfer.crypto.noise.NoisePattern;
import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.EncodingException;
import io.hyperinfer.hyperdht.wire.NoisePayload;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * One side of the Noise IK handshake of a HyperDHT connect, carrying a {@link NoisePayload} each way
 * ({@code lib/noise-wrap.js}). Bytes in, bytes out, no sockets: the client (initiator, knows the server's key)
 * {@link #send}s message 1 and {@link #receive}s message 2; the server (responder) does the reverse. The prologue is
 * {@code NS_PEER_HANDSHAKE}. Once complete, {@link #established()} gives what the secret stream and the holepunch
 * rounds start from. Not thread-safe: confined to the connect or handshake slot that drives it.
 */
public final class NoiseWrap {
  private final boolean initiator;
  private final KeyPair keyPair;
  private final NoiseHandshake handshake;
  private byte[] remotePublicKey;

  NoiseWrap(KeyPair keyPair, byte[] remotePublicKey, Supplier<KeyPair> ephemerals) {
    this.initiator = remotePublicKey != null;
    this.keyPair = keyPair;
    this.remotePublicKey = remotePublicKey == null ? null : remotePublicKey.clone();
    try {
      this.handshake = new NoiseHandshake(NoisePattern.IK, initiator, keyPair, Namespaces.PEER_HANDSHAKE,
          remotePublicKey, ephemerals);
    } catch (CryptoException e) {
      throw new IllegalArgumentException("the server's public key must be 32 bytes", e);
    }
  }

  /** The client side: it knows the server's static key. */
  public static NoiseWrap initiator(KeyPair keyPair, byte[] serverPublicKey) {
    if (serverPublicKey == null) {
      throw new IllegalArgumentException("the client must know the server's public key");
    }
    return new NoiseWrap(keyPair, serverPublicKey, Ed25519::generate);
  }

  /** The server side. */
  public static NoiseWrap responder(KeyPair keyPair) {
    return new NoiseWrap(keyPair, null, Ed25519::generate);
  }

  /** Whether this is the client. */
  public boolean isInitiator() {
    return initiator;
  }

  /** The next Noise message, carrying {@code payload}. */
  public byte[] send(NoisePayload payload) {
    try {
      return handshake.send(Compact.encode(NoisePayload.CODEC, payload));
    } catch (CryptoException e) {
      throw HyperDhtException.of(HyperDhtException.Code.HANDSHAKE_INVALID, "cannot send: " + e.getMessage());
    }
  }

  /**
   * The payload of the peer's Noise message.
   *
   * @throws HyperDhtException {@code HANDSHAKE_INVALID} when the message does not authenticate, the payload does not
   *     decode, or it is not our turn; the handshake is then unusable
   */
  public NoisePayload receive(byte[] message) {
    byte[] plain;
    try {
      plain = handshake.receive(message);
    } catch (CryptoException e) {
      throw HyperDhtException.of(HyperDhtException.Code.HANDSHAKE_INVALID, e.getMessage());
    }
    NoisePayload payload;
    try {
      payload = NoisePayload.CODEC.decode(Buf.wrap(plain));
    } catch (EncodingException e) {
      throw HyperDhtException.of(HyperDhtException.Code.HANDSHAKE_INVALID, "bad noise payload: " + e.getMessage());
    }
    remotePublicKey = handshake.remoteStaticKey();
    return payload;
  }

  /** Whether both messages have passed. */
  public boolean isComplete() {
    return handshake.isComplete();
  }

  /** The peer's static key: the server's from the start, the client's once its message is received; else null. */
  public byte[] remotePublicKey() {
    return remotePublicKey == null ? null : remotePublicKey.clone();
  }

  /**
   * The keys and secrets of the finished handshake ({@code NoiseWrap.final}).
   *
   * @throws HyperDhtException {@code HANDSHAKE_UNFINISHED} before both messages have passed
   */
  public Established established() {
    if (!handshake.isComplete()) {
      throw HyperDhtException.handshakeUnfinished();
    }
    HandshakeResult r = handshake.result();
    return new Established(initiator, keyPair.publicKey(), r.remotePublicKey(), r.tx(), r.rx(), r.handshakeHash(),
        HyperDhtCrypto.holepunchSecret(r.handshakeHash()));
  }

  /**
   * A finished handshake.
   *
   * @param initiator whether this side is the client
   * @param publicKey our static key
   * @param remotePublicKey the peer's static key, proven by the handshake
   * @param tx the key for what we send
   * @param rx the key for what we receive
   * @param hash the 64-byte handshake hash (secret-stream ids and capabilities derive from it)
   * @param holepunchSecret the key of {@link SecurePayload}
   */
  public record Established(boolean initiator, byte[] publicKey, byte[] remotePublicKey, byte[] tx, byte[] rx,
      byte[] hash, byte[] holepunchSecret) {
    /** What {@code SecretStream.builder(raw, initiator).handshake(...)} starts from. */
    public HandshakeResult toHandshakeResult() {
      return new HandshakeResult(tx, rx, hash, publicKey, remotePublicKey);
    }

    /** Never prints the keys. */
    @Override
    public String toString() {
      return "Established[initiator=" + initiator + ", remotePublicKey=" + HexFormat.of().formatHex(remotePublicKey)
          + "]";
    }
  }
}
