package io.hyperinfer.rpc;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The executors of this module, created in one place. Thread-safe. */
public final class RpcExecutors {
  private static final Executor VIRTUAL = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("rpc-", 0).factory());
  private static final ScheduledExecutorService TIMER = timerPool();

  private RpcExecutors() {}

  /** One virtual thread per task: blocking handlers, connection readers, future completions. */
  public static Executor handlers() {
    return VIRTUAL;
  }

  private static ScheduledExecutorService timerPool() {
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "rpc-timeouts");
      t.setDaemon(true);
      return t;
    });
    // Most timeouts are cancelled by their response; drop them at once instead of keeping them until they expire.
    pool.setRemoveOnCancelPolicy(true);
    return pool;
  }

  /** Request timeouts. */
  static ScheduledExecutorService timer() {
    return TIMER;
  }
}
