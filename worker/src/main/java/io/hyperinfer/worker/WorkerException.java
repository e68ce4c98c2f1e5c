package io.hyperinfer.worker;

/** The worker framework's one unchecked exception; {@link #code()} says what kind of failure it is. */
public class WorkerException extends RuntimeException {
  /** Stable failure kinds. */
  public enum Code {
    CONFIG_MISSING,
    CONFIG_INVALID,
    START_FAILED,
    ILLEGAL_STATE,
    STORE_FAILURE,
    IO_FAILURE
  }

  private final Code code;

  public WorkerException(Code code, String message) {
    this(code, message, null);
  }

  public WorkerException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static WorkerException illegalState(String message) {
    return new WorkerException(Code.ILLEGAL_STATE, message);
  }

  public static WorkerException storeFailure(String message, Throwable cause) {
    return new WorkerException(Code.STORE_FAILURE, message, cause);
  }

  public static WorkerException ioFailure(String message, Throwable cause) {
    return new WorkerException(Code.IO_FAILURE, message, cause);
  }
}
