package io.hyperinfer.hypercore;

/** The hypercore module's one exception; callers branch on {@link #code()}, never on the message. */
public final class HypercoreException extends RuntimeException {
  /** Stable codes, named after hypercore-errors where one exists. */
  public enum Code {
    BAD_ARGUMENT,
    OUT_OF_BOUNDS,
    BLOCK_NOT_AVAILABLE,
    INVALID_SIGNATURE,
    INVALID_PROOF,
    INVALID_CHECKSUM,
    NOT_WRITABLE,
    SESSION_CLOSED,
    CORRUPT_STORAGE,
    STORAGE_ERROR
  }

  private final Code code;
  private final long lastValidLength;

  private HypercoreException(Code code, String message, long lastValidLength, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
    this.lastValidLength = lastValidLength;
  }

  public Code code() {
    return code;
  }

  /**
   * For {@link Code#CORRUPT_STORAGE}: the longest prefix of the core whose blocks and tree still verify, the length
   * {@link HypercoreStore#repair} truncates to; -1 for every other code.
   */
  public long lastValidLength() {
    return lastValidLength;
  }

  static HypercoreException of(Code code, String message) {
    return new HypercoreException(code, message, -1, null);
  }

  static HypercoreException badArgument(String message) {
    return of(Code.BAD_ARGUMENT, message);
  }

  static HypercoreException outOfBounds(long index, long length) {
    return of(Code.OUT_OF_BOUNDS, "index " + index + " is outside the core (length " + length + ")");
  }

  static HypercoreException invalidProof(String message) {
    return of(Code.INVALID_PROOF, message);
  }

  static HypercoreException corrupt(String message, long lastValidLength) {
    return new HypercoreException(Code.CORRUPT_STORAGE, message, lastValidLength, null);
  }

  /** CORRUPT_STORAGE found below the cores, in the database's own files: no core prefix is known good. */
  static HypercoreException damaged(String message, Throwable cause) {
    return new HypercoreException(Code.CORRUPT_STORAGE, message, 0, cause);
  }

  static HypercoreException storage(String message, Throwable cause) {
    return new HypercoreException(Code.STORAGE_ERROR, message, -1, cause);
  }
}
