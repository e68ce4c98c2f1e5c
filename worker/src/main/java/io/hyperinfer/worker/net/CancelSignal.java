package io.hyperinfer.worker.net;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** Tells a handler that its caller gave up (cancel, timeout, lost connection). Thread-safe; fires once. */
public final class CancelSignal {
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public boolean isCancelled() {
    return cancelled.get();
  }

  /** Runs {@code listener} on cancel, or at once when already cancelled. */
  public void onCancel(Runnable listener) {
    listeners.add(listener);
    if (cancelled.get() && listeners.remove(listener)) {
      listener.run();
    }
  }

  /** Cancels; true the first time. */
  public boolean cancel() {
    if (!cancelled.compareAndSet(false, true)) {
      return false;
    }
    for (Runnable l : listeners) {
      if (listeners.remove(l)) {
        l.run();
      }
    }
    return true;
  }
}
