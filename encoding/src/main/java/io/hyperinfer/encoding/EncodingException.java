package io.hyperinfer.encoding;

/** The encoding module's one exception: a value that cannot be encoded, or bytes that cannot be decoded. */
public class EncodingException extends RuntimeException {
  /** Stable codes; callers branch on these, never on the message. */
  public enum Code {
    /** The input ended before the value did. */
    TRUNCATED,
    /** A length or count prefix exceeds its cap. */
    TOO_LARGE,
    /** A decoded number is outside the range the JS reference accepts. */
    OUT_OF_RANGE,
    /** A value handed to an encoder is not representable (negative uint, wrong fixed size, bad address). */
    BAD_VALUE,
    /** An encoder wrote past the space its own length phase reserved. */
    BUFFER_FULL
  }

  private final Code code;

  EncodingException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** The stable code of this failure. */
  public Code code() {
    return code;
  }

  static EncodingException badValue(String message) {
    return new EncodingException(Code.BAD_VALUE, message);
  }

  static EncodingException bufferFull(int needed, int left) {
    return new EncodingException(Code.BUFFER_FULL, "need " + needed + " bytes, " + left + " left");
  }
}
