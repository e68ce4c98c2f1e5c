package io.hyperinfer.hyperbee;

/** The hyperbee module's one exception; callers branch on {@link #code()}, never on the message. */
public final class BeeException extends RuntimeException {
  /** Stable codes, named after hypercore-errors where one exists. */
  public enum Code {
    BAD_ARGUMENT,
    DECODING_ERROR,
    NOT_WRITABLE,
    BATCH_CLOSED
  }

  private final Code code;

  BeeException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  static BeeException decoding(String message) {
    return new BeeException(Code.DECODING_ERROR, message);
  }

  static BeeException badArgument(String message) {
    return new BeeException(Code.BAD_ARGUMENT, message);
  }
}
