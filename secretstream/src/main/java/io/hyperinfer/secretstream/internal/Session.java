package io.hyperinfer.secretstream.internal;

import io.hyperinfer.crypto.CryptoException;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.crypto.Random;
import io.hyperinfer.crypto.SecretStreamPull;
import io.hyperinfer.crypto.SecretStreamPush;
import io.hyperinfer.crypto.noise.HandshakeResult;
import io.hyperinfer.crypto.noise.NoiseHandshake;
import io.hyperinfer.secretstream.SecretStreamException;
import io.hyperinfer.secretstream.SecretStreamException.Code;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The sans-I/O core of @hyperswarm/secret-stream 6.9.2: raw bytes in, frames to write and plaintext messages out.
 * It runs the XX handshake when none was supplied, exchanges the 56-byte id+header frame, then opens data frames
 * with secretstream. Any protocol violation throws {@link SecretStreamException}; the caller must then destroy.
 *
 * <p>Not thread-safe. {@link #start} and {@link #receive} belong to the reader; {@link #seal} to whoever holds
 * the stream's write lock, and only after {@link Output#opened} has been signalled.
 */
public final class Session {
  /** The id+header frame body: 32-byte stream id then the 24-byte secretstream header. */
  public static final int ID_HEADER_BYTES = 32 + SecretStreamPush.HEADER_BYTES;
  /** Largest plaintext one frame carries. */
  public static final int MAX_MESSAGE = FrameDecoder.MAX_FRAME - SecretStreamPush.ABYTES;
  /**
   * Default cap on one frame before the handshake completes. XX with empty payloads sends at most 96 bytes a frame,
   * so this leaves room for payloads while bounding what a peer that never finishes the handshake makes us buffer.
   */
  public static final int DEFAULT_HANDSHAKE_FRAME_LIMIT = 4096;

  /** Where the session's effects go. Called on the reader's thread. */
  public interface Output {
    /** Bytes to write to the raw stream, already framed. */
    void write(byte[] bytes);

    /** The handshake finished and our header is written: data may now be sealed. */
    void opened(HandshakeResult result);

    /** A decrypted message from the peer. */
    void message(byte[] plaintext);

    /** The peer's header arrived: the first bytes it sent once its side was set up. */
    default void peerHeader() {}
  }

  private enum Phase { HANDSHAKE, AWAIT_HEADER, OPEN }

  private final boolean initiator;
  private final boolean filterEmpty;
  private final FrameDecoder decoder = new FrameDecoder();
  private NoiseHandshake noise;
  private HandshakeResult result;
  private Phase phase;
  private volatile SecretStreamPush push;
  private SecretStreamPull pull;
  private UnorderedBox unordered;

  private Session(boolean initiator, boolean filterEmpty, NoiseHandshake noise, HandshakeResult result,
      int handshakeFrameLimit) {
    this.initiator = initiator;
    this.filterEmpty = filterEmpty;
    this.noise = noise;
    this.result = result;
    if (noise != null) {
      this.phase = Phase.HANDSHAKE;
      decoder.limit(handshakeFrameLimit, Code.HANDSHAKE_FAILED);
    } else {
      awaitHeader();
    }
  }

  /** A session that first runs Noise XX with {@code keyPair} over the raw stream. */
  public static Session handshake(boolean initiator, KeyPair keyPair, boolean filterEmpty) {
    return handshake(initiator, keyPair, filterEmpty, DEFAULT_HANDSHAKE_FRAME_LIMIT);
  }

  /** As {@link #handshake(boolean, KeyPair, boolean)}, refusing a handshake frame above {@code frameLimit} bytes. */
  public static Session handshake(boolean initiator, KeyPair keyPair, boolean filterEmpty, int frameLimit) {
    return new Session(initiator, filterEmpty, NoiseHandshake.xx(initiator, keyPair), null, frameLimit);
  }

  /** A session over keys from a finished handshake (hyperdht's IK). */
  public static Session established(boolean initiator, HandshakeResult result, boolean filterEmpty) {
    return new Session(initiator, filterEmpty, null, result, 0);
  }

  /** Writes what this side sends unprompted: XX message 1 (initiator) or, when established, the header. */
  public void start(Output out) {
    if (noise == null) {
      setUp(out);
    } else if (initiator) {
      out.write(frame(noise.send(new byte[0])));
    }
  }

  /** Consumes raw bytes from the peer. */
  public void receive(byte[] data, int offset, int length, Output out) {
    decoder.feed(data, offset, length, (buffer, off, len) -> onFrame(buffer, off, len, out));
  }

  /** {@code message} as one framed, sealed data frame. */
  public byte[] seal(byte[] message) {
    if (message.length > MAX_MESSAGE) {
      throw new SecretStreamException(Code.MESSAGE_TOO_LARGE,
          "message of " + message.length + " bytes exceeds one frame (" + MAX_MESSAGE + ")");
    }
    byte[] out = new byte[3 + message.length + SecretStreamPush.ABYTES];
    writeUint24(out, message.length + SecretStreamPush.ABYTES);
    push.push(message, 0, message.length, out, 3);
    return out;
  }

  /** The handshake's outcome, or null before it finished. */
  public HandshakeResult result() {
    return result;
  }

  /** The unordered-message box, or null before the handshake finished. */
  public UnorderedBox unordered() {
    return unordered;
  }

  private void onFrame(byte[] buffer, int offset, int length, Output out) {
    switch (phase) {
      case HANDSHAKE -> onHandshakeFrame(Arrays.copyOfRange(buffer, offset, offset + length), out);
      case AWAIT_HEADER -> {
        onHeader(buffer, offset, length);
        out.peerHeader();
      }
      case OPEN -> onData(buffer, offset, length, out);
    }
  }

  private void onHandshakeFrame(byte[] message, Output out) {
    try {
      noise.receive(message);
      if (!noise.isComplete()) {
        out.write(frame(noise.send(new byte[0])));
      }
    } catch (CryptoException e) {
      throw new SecretStreamException(Code.HANDSHAKE_FAILED, "Noise handshake failed: " + e.getMessage(), e);
    }
    if (noise.isComplete()) {
      result = noise.result();
      noise = null;
      setUp(out);
    }
  }

  private void setUp(Output out) {
    byte[] hash = result.handshakeHash();
    push = new SecretStreamPush(result.tx());
    unordered = new UnorderedBox(hash, initiator, Random.bytes(8));
    byte[] header = new byte[3 + ID_HEADER_BYTES];
    writeUint24(header, ID_HEADER_BYTES);
    System.arraycopy(Namespaces.streamId(hash, initiator), 0, header, 3, 32);
    System.arraycopy(push.header(), 0, header, 35, SecretStreamPush.HEADER_BYTES);
    awaitHeader();
    out.write(header);
    out.opened(result);
  }

  /** The peer's next frame must be its 56-byte id and header: nothing longer is buffered. */
  private void awaitHeader() {
    phase = Phase.AWAIT_HEADER;
    decoder.limit(ID_HEADER_BYTES, Code.INVALID_HEADER);
  }

  private void onHeader(byte[] buffer, int offset, int length) {
    if (length != ID_HEADER_BYTES) {
      throw new SecretStreamException(Code.INVALID_HEADER, "header frame of " + length + " bytes, expected 56");
    }
    byte[] expected = Namespaces.streamId(result.handshakeHash(), !initiator);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(buffer, offset, offset + 32))) {
      throw new SecretStreamException(Code.INVALID_HEADER, "peer's stream id does not match the handshake");
    }
    pull = new SecretStreamPull(result.rx(), Arrays.copyOfRange(buffer, offset + 32, offset + length));
    phase = Phase.OPEN;
    decoder.limit(FrameDecoder.MAX_FRAME, Code.INVALID_MESSAGE);
  }

  private void onData(byte[] buffer, int offset, int length, Output out) {
    byte[] plain;
    try {
      plain = pull.pull(buffer, offset, length);
    } catch (CryptoException e) {
      throw new SecretStreamException(Code.INVALID_MESSAGE, "data frame rejected: " + e.getMessage());
    }
    if (plain.length > 0 || !filterEmpty) {
      out.message(plain);
    }
  }

  private static byte[] frame(byte[] body) {
    byte[] out = new byte[3 + body.length];
    writeUint24(out, body.length);
    System.arraycopy(body, 0, out, 3, body.length);
    return out;
  }

  private static void writeUint24(byte[] out, int n) {
    out[0] = (byte) n;
    out[1] = (byte) (n >>> 8);
    out[2] = (byte) (n >>> 16);
  }
}
