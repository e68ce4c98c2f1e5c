package io.hyperinfer.encoding;

/**
 * Hostile or short input. Cheap to throw (no stack trace), because a peer can trigger it once per packet; the
 * caller drops the input and counts it.
 */
public final class DecodeException extends EncodingException {
  DecodeException(Code code, String message) {
    super(code, message);
  }

  /** Fewer than {@code needed} bytes were left. */
  public static DecodeException truncated(int needed, int left) {
    return new DecodeException(Code.TRUNCATED, "need " + needed + " bytes, " + left + " left");
  }

  /** A length or count prefix of {@code value} exceeds {@code cap}. */
  public static DecodeException tooLarge(long value, long cap) {
    return new DecodeException(Code.TOO_LARGE, "length " + value + " exceeds cap " + cap);
  }

  /** A decoded number outside the accepted range. */
  public static DecodeException outOfRange(String what) {
    return new DecodeException(Code.OUT_OF_RANGE, what + " out of range");
  }
}
