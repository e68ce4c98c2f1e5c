package io.hyperinfer.crypto.noise;

import io.hyperinfer.crypto.CryptoException;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.EdwardsDh;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.crypto.noise.NoisePattern.Token;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * A sans-I/O {@code Noise_*_Ed25519_ChaChaPoly_BLAKE2b} handshake, wire-compatible with noise-handshake 4.2.0 plus
 * noise-curve-ed: {@link #send} turns a payload into the next message, {@link #receive} turns the peer's message
 * into its payload, and once {@link #isComplete()} the {@link #result()} holds the transport keys. Any failure
 * throws {@link CryptoException} with {@code HANDSHAKE_FAILED} (or {@code DH_FAILED}) and leaves the handshake
 * unusable. Not thread-safe: confined to the connection that drives it.
 */
public final class NoiseHandshake {
  private static final byte[] EMPTY = new byte[0];

  private final NoisePattern pattern;
  private final boolean initiator;
  private final KeyPair localStatic;
  private final Supplier<KeyPair> ephemerals;
  private final SymmetricState state;
  private KeyPair localEphemeral;
  private byte[] remoteEphemeral;
  private byte[] remoteStatic;
  private int step;
  private boolean failed;
  private HandshakeResult result;

  /**
   * A handshake in {@code pattern}.
   *
   * @param remoteStatic the responder's static key, required for an IK initiator, else null
   * @param ephemerals source of the ephemeral key pair: {@code Ed25519::generate} in production; a fixed key to
   *     reproduce recorded vectors
   */
  public NoiseHandshake(NoisePattern pattern, boolean initiator, KeyPair localStatic, byte[] prologue,
      byte[] remoteStatic, Supplier<KeyPair> ephemerals) {
    this.pattern = pattern;
    this.initiator = initiator;
    this.localStatic = localStatic;
    this.ephemerals = ephemerals;
    this.state = new SymmetricState(pattern.protocolName());
    state.mixHash(prologue);
    if (pattern.responderStaticPreshared()) {
      byte[] responderKey = initiator ? remoteStatic : localStatic.publicKey();
      if (responderKey == null || responderKey.length != Ed25519.PUBLIC_KEY_BYTES) {
        throw CryptoException.handshakeFailed(pattern + " initiator needs the responder's 32-byte static key");
      }
      if (initiator) {
        this.remoteStatic = responderKey.clone();
      }
      state.mixHash(responderKey);
    }
  }

  /** An IK handshake with fresh ephemeral keys, as hyperdht runs it. */
  public static NoiseHandshake ik(boolean initiator, KeyPair localStatic, byte[] prologue, byte[] remoteStatic) {
    return new NoiseHandshake(NoisePattern.IK, initiator, localStatic, prologue, remoteStatic, Ed25519::generate);
  }

  /** An XX handshake with an empty prologue and fresh ephemeral keys, as secret-stream runs it. */
  public static NoiseHandshake xx(boolean initiator, KeyPair localStatic) {
    return new NoiseHandshake(NoisePattern.XX, initiator, localStatic, EMPTY, null, Ed25519::generate);
  }

  /** Whether the next step is ours to {@link #send}. */
  public boolean isMyTurn() {
    return result == null && !failed && (step % 2 == 0) == initiator;
  }

  /** Whether every message has been sent or received. */
  public boolean isComplete() {
    return result != null;
  }

  /**
   * The peer's static public key as soon as it is known: from the start for an IK initiator, after the message that
   * carries it otherwise (an IK responder learns it from message 1, before answering); null until then.
   */
  public byte[] remoteStaticKey() {
    return remoteStatic == null ? null : remoteStatic.clone();
  }

  /** The transport keys and hash; only once complete. */
  public HandshakeResult result() {
    if (result == null) {
      throw CryptoException.handshakeFailed("handshake not complete");
    }
    return result;
  }

  /** The next handshake message carrying {@code payload}. */
  public byte[] send(byte[] payload) {
    checkTurn(true);
    try {
      byte[][] parts = new byte[4][];
      int n = 0;
      for (Token token : currentTokens()) {
        switch (token) {
          case E -> {
            localEphemeral = ephemerals.get();
            byte[] e = localEphemeral.publicKey();
            state.mixHash(e);
            parts[n++] = e;
          }
          case S -> parts[n++] = state.encryptAndHash(localStatic.publicKey());
          default -> state.mixKey(dh(token));
        }
      }
      parts[n++] = state.encryptAndHash(payload);
      advance();
      return concat(parts, n);
    } catch (CryptoException e) {
      failed = true;
      throw e;
    }
  }

  /** The payload of the peer's next handshake message. */
  public byte[] receive(byte[] message) {
    checkTurn(false);
    try {
      int offset = 0;
      for (Token token : currentTokens()) {
        switch (token) {
          case E -> {
            remoteEphemeral = slice(message, offset, Ed25519.PUBLIC_KEY_BYTES);
            offset += Ed25519.PUBLIC_KEY_BYTES;
            state.mixHash(remoteEphemeral);
          }
          case S -> {
            int length = Ed25519.PUBLIC_KEY_BYTES + (state.hasKey() ? 16 : 0);
            remoteStatic = state.decryptAndHash(slice(message, offset, length));
            offset += length;
          }
          default -> state.mixKey(dh(token));
        }
      }
      byte[] payload = state.decryptAndHash(Arrays.copyOfRange(message, offset, message.length));
      advance();
      return payload;
    } catch (CryptoException e) {
      failed = true;
      throw e;
    }
  }

  private List<Token> currentTokens() {
    return pattern.messages().get(step);
  }

  private void checkTurn(boolean sending) {
    if (failed || result != null) {
      throw CryptoException.handshakeFailed("handshake already " + (failed ? "failed" : "complete"));
    }
    if (isMyTurn() != sending) {
      throw CryptoException.handshakeFailed("not our turn to " + (sending ? "send" : "receive"));
    }
  }

  private byte[] dh(Token token) {
    // ES: initiator's ephemeral with responder's static; SE: the reverse. Each side picks its own half.
    boolean localIsStatic = switch (token) {
      case ES -> !initiator;
      case SE -> initiator;
      case SS -> true;
      default -> false;
    };
    boolean remoteIsStatic = switch (token) {
      case ES -> initiator;
      case SE -> !initiator;
      case SS -> true;
      default -> false;
    };
    return EdwardsDh.dh(remoteIsStatic ? remoteStatic : remoteEphemeral, localIsStatic ? localStatic : localEphemeral);
  }

  private void advance() {
    step++;
    if (step == pattern.messages().size()) {
      byte[][] keys = state.split();
      result = new HandshakeResult(initiator ? keys[0] : keys[1], initiator ? keys[1] : keys[0],
          state.handshakeHash(), localStatic.publicKey(), remoteStatic);
      localEphemeral = null;
      remoteEphemeral = null;
    }
  }

  private static byte[] slice(byte[] message, int offset, int length) {
    if (message.length - offset < length) {
      throw CryptoException.handshakeFailed("Noise message too short");
    }
    return Arrays.copyOfRange(message, offset, offset + length);
  }

  private static byte[] concat(byte[][] parts, int n) {
    int length = 0;
    for (int i = 0; i < n; i++) {
      length += parts[i].length;
    }
    byte[] out = new byte[length];
    int offset = 0;
    for (int i = 0; i < n; i++) {
      System.arraycopy(parts[i], 0, out, offset, parts[i].length);
      offset += parts[i].length;
    }
    return out;
  }
}
