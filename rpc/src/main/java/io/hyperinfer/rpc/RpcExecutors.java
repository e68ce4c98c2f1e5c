package io.hyperinfer.rpc;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The executors of this module, created in one place. Thread-safe. */
public final class RpcExecutors {
  private static final Executor VIRTUAL = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("rpc-", 0).factory());
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rpc-timeouts");
    t.setDaemon(true);
    return t;
  });

  private RpcExecutors() {}

  /** One virtual thread per task: blocking handlers, connection readers, future completions. */
  public static Executor handlers() {
    return VIRTUAL;
  }

  /** Request timeouts. */
  static ScheduledExecutorService timer() {
    return TIMER;
  }
}
