package io.hyperinfer.nattestbed;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Steps of the Java peer that may block, each given a time limit: a step past its limit is left running on its own
 * daemon thread and fails with a {@link Stuck} naming it (the peer's result line says which step stuck, with the
 * node's thread states), so one stuck trial fails one cell and the peer keeps answering commands. Thread-safe.
 */
final class Bounded {
  /** A step that did not finish in time; {@code code} names it (READY_TIMEOUT, NO_ECHO_TIMEOUT, ...). */
  static final class Stuck extends RuntimeException {
    private final String code;

    Stuck(String code, String detail) {
      super(code + ": " + detail);
      this.code = code;
    }

    String code() {
      return code;
    }
  }

  private Bounded() {}

  /**
   * Runs {@code step} on a daemon thread named after {@code code} and waits at most {@code limit} for it.
   *
   * @throws Stuck when it outlives the limit (its thread and the node's threads are in the message)
   * @throws Exception whatever the step threw
   */
  static <T> T within(String code, Duration limit, Callable<T> step) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    Thread.ofPlatform().daemon().name("natpeer-" + code).start(() -> {
      try {
        done.complete(step.call());
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    });
    try {
      return done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new Stuck(code, "still running after " + limit.toMillis() + " ms; threads:" + threads());
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** {@link #within} for a step without a result. */
  static void run(String code, Duration limit, Runnable step) throws Exception {
    within(code, limit, () -> {
      step.run();
      return null;
    });
  }

  /** The JVM's own threads, left out of {@link #threads()}. */
  private static final Set<String> JVM_THREADS = Set.of("Reference Handler", "Finalizer", "Signal Dispatcher",
      "Common-Cleaner", "Notification Thread", "Attach Listener", "process reaper");

  /** The states and top frames of the platform threads a stuck step may involve (all but the JVM's own). */
  static String threads() {
    StringBuilder out = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, frames) -> {
      String name = thread.getName();
      if (!JVM_THREADS.contains(name)) {
        out.append(" | ").append(name).append(' ').append(thread.getState());
        for (int i = 0; i < Math.min(5, frames.length); i++) {
          out.append(" < ").append(frames[i]);
        }
      }
    });
    return out.toString();
  }
}
