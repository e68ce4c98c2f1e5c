package io.hyperinfer.secretstream;

/** The secretstream module's one exception. Every code ends the stream, except {@code STREAM_ENDED} on write. */
public final class SecretStreamException extends RuntimeException {
  /** Stable codes; callers branch on these, never on the message. */
  public enum Code {
    /** The Noise XX handshake failed or the peer closed during it. */
    HANDSHAKE_FAILED,
    /** The first frame after the handshake was not a valid 56-byte id and header. */
    INVALID_HEADER,
    /** A data frame was shorter than 17 bytes or did not authenticate. */
    INVALID_MESSAGE,
    /** A message does not fit one frame (2^24 - 1 - 17 bytes of plaintext). */
    MESSAGE_TOO_LARGE,
    /** Written after {@code end()} or after the stream closed. */
    STREAM_ENDED,
    /** The stream was destroyed locally. */
    DESTROYED,
    /** The raw transport failed. */
    IO_ERROR,
    /**
     * Nothing was received for the stream's timeout ({@code setTimeout}). JS destroys with a plain "Stream timed
     * out" error that carries no code.
     */
    TIMEOUT
  }

  private final Code code;

  public SecretStreamException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public SecretStreamException(Code code, String message, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
  }

  /** The stable code of this failure. */
  public Code code() {
    return code;
  }
}
