package io.hyperinfer.processor.engine;

import io.hyperinfer.processor.ProcessorException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs a long native call (JNI) for a virtual thread on a platform thread of its own, the virtual thread parked until
 * it returns: inside native code a virtual thread cannot unmount, so it would pin its carrier for the whole call. On a
 * platform thread the call runs where it is. For rare calls (loading a model); per-token or per-batch calls use the
 * engine's own pool. Stateless.
 */
public final class OffCarrier {
  private OffCarrier() {}

  /** {@code call}'s result, or its exception as thrown (an Error or RuntimeException; a checked one is wrapped). */
  public static <T> T call(String threadName, Callable<T> call) {
    if (!Thread.currentThread().isVirtual()) {
      return callHere(call);
    }
    FutureTask<T> task = new FutureTask<>(call);
    Thread.ofPlatform().name(threadName).daemon().start(task);
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProcessorException.unavailable("interrupted while " + threadName + " ran", e);
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    }
  }

  private static <T> T callHere(Callable<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw rethrow(e);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
  }
}
