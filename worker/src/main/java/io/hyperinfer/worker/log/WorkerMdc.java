package io.hyperinfer.worker.log;

import io.hyperinfer.worker.WorkerContext;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * Puts the worker's type and instance id into SLF4J's MDC around a piece of work, so every log line it writes names
 * the worker. MDC is per thread: call this at the top of every thread or virtual thread a worker starts.
 */
public final class WorkerMdc {
  public static final String TYPE = "workerType";
  public static final String INSTANCE = "instanceId";

  private WorkerMdc() {}

  public static void run(WorkerContext ctx, Runnable work) {
    String oldType = MDC.get(TYPE);
    String oldInstance = MDC.get(INSTANCE);
    MDC.put(TYPE, ctx.type());
    MDC.put(INSTANCE, ctx.instanceId());
    try {
      work.run();
    } finally {
      restore(TYPE, oldType);
      restore(INSTANCE, oldInstance);
    }
  }

  public static <T> T call(WorkerContext ctx, Callable<T> work) throws Exception {
    String oldType = MDC.get(TYPE);
    String oldInstance = MDC.get(INSTANCE);
    MDC.put(TYPE, ctx.type());
    MDC.put(INSTANCE, ctx.instanceId());
    try {
      return work.call();
    } finally {
      restore(TYPE, oldType);
      restore(INSTANCE, oldInstance);
    }
  }

  /** A runnable that sets the MDC for {@code ctx} wherever it runs. */
  public static Runnable wrap(WorkerContext ctx, Runnable work) {
    return () -> run(ctx, work);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
