package io.hyperinfer.app;

import io.hyperinfer.app.launch.Child;
import java.util.Optional;

/**
 * The launcher's one unchecked exception: a failure the user can act on, whose message is one plain sentence naming
 * the thing and the fix (printed as {@code error: <message>}, no stack trace), and whose {@link Code} gives the exit
 * status.
 */
public final class LauncherException extends RuntimeException {
  /** What kind of failure, and the exit status it gives. */
  public enum Code {
    /** A flag or its value is wrong. */
    BAD_ARGUMENT(2),
    /** No network to join: no bootstrap given, or the local one is not running. */
    NO_NETWORK(1),
    /** A child process exited or stayed silent instead of doing what its parent waited for. */
    CHILD_FAILED(1),
    /** Something else the user can fix (a file, a directory). */
    FAILED(1);

    private final int exitStatus;

    Code(int exitStatus) {
      this.exitStatus = exitStatus;
    }

    public int exitStatus() {
      return exitStatus;
    }
  }

  private final Code code;
  private final transient Child child;

  public LauncherException(Code code, String message) {
    this(code, message, (Child) null);
  }

  /** With the failure behind it, whose stack trace {@code --verbose} prints. */
  public LauncherException(Code code, String message, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
    this.child = null;
  }

  private LauncherException(Code code, String message, Child child) {
    super(message, null, false, false);
    this.code = code;
    this.child = child;
  }

  public static LauncherException badArgument(String message) {
    return new LauncherException(Code.BAD_ARGUMENT, message);
  }

  public static LauncherException noNetwork(String message) {
    return new LauncherException(Code.NO_NETWORK, message);
  }

  /** {@code child} did not do what its parent waited for. */
  public static LauncherException childFailed(Child child, String message) {
    return new LauncherException(Code.CHILD_FAILED, message, child);
  }

  public Code code() {
    return code;
  }

  /** The child process concerned, for {@link Code#CHILD_FAILED}. */
  public Optional<Child> child() {
    return Optional.ofNullable(child);
  }
}
