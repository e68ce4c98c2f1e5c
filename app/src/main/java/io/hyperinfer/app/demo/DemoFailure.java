package io.hyperinfer.app.demo;

/** A demo step did not do what it should; the message says what was expected and what happened. */
public final class DemoFailure extends RuntimeException {
  public DemoFailure(String message) {
    super(message, null, false, false);
  }

  /** Fails with {@code message} unless {@code condition} holds. */
  public static void check(boolean condition, String message) {
    if (!condition) {
      throw new DemoFailure(message);
    }
  }
}
