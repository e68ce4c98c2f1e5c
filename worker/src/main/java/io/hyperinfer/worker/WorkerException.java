package io.hyperinfer.worker;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * The worker framework's one unchecked exception; {@link #code()} says what kind of failure it is. The codes an
 * operator causes and can fix ({@link Code#isExpected()}: bad config, an unwritable or locked store directory, a port in
 * use, a key file others may read) carry one plain sentence naming the thing and the fix as their message, so a
 * launcher prints {@link #expected(Throwable)}'s message instead of a stack trace.
 */
public class WorkerException extends RuntimeException {
  /** Stable failure kinds. */
  public enum Code {
    CONFIG_MISSING,
    CONFIG_INVALID,
    START_FAILED,
    ILLEGAL_STATE,
    STORE_FAILURE,
    IO_FAILURE,
    /** The store directory cannot be created or written. */
    STORE_UNWRITABLE,
    /** Another process (or another worker of this one) has the store directory open. */
    STORE_LOCKED,
    /** A port this worker must listen on is taken or not allowed. */
    PORT_UNAVAILABLE,
    /** No DHT bootstrap node answered: the network cannot be joined. */
    BOOTSTRAP_UNREACHABLE,
    /** A private key or credentials file is open to other users and cannot be made private. */
    UNSAFE_FILE;

    /** Whether a failure of this kind is the operator's to fix, with a message that says how. */
    public boolean isExpected() {
      return switch (this) {
        case CONFIG_MISSING, CONFIG_INVALID, STORE_UNWRITABLE, STORE_LOCKED, PORT_UNAVAILABLE, BOOTSTRAP_UNREACHABLE,
            UNSAFE_FILE -> true;
        default -> false;
      };
    }
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

  /** The first expected failure ({@link Code#isExpected()}) in {@code failure}'s cause chain, if any. */
  public static Optional<WorkerException> expected(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof WorkerException w && w.code.isExpected()) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
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
