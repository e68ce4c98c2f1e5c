package io.hyperinfer.processor.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-way cancel flag with callbacks, so a blocked engine read can be interrupted from another thread (the client
 * went away, the gateway gave up). Thread-safe; callbacks run once, on the cancelling thread or immediately when added
 * after cancellation.
 */
public final class CancelSignal {
  private final List<Runnable> callbacks = new ArrayList<>();
  private boolean cancelled;

  public void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = List.copyOf(callbacks);
      callbacks.clear();
    }
    toRun.forEach(CancelSignal::runQuietly);
  }

  public synchronized boolean isCancelled() {
    return cancelled;
  }

  /** Runs {@code callback} on cancellation (now, if already cancelled). */
  public void onCancel(Runnable callback) {
    synchronized (this) {
      if (!cancelled) {
        callbacks.add(callback);
        return;
      }
    }
    runQuietly(callback);
  }

  private static void runQuietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException ignored) {
      // a failing callback must not stop the others from releasing their resources
    }
  }
}
