package io.hyperinfer.dht.internal;

import io.hyperinfer.dht.LoopTimer;
import java.util.PriorityQueue;

/**
 * The node's own timers, earliest first, with cancellation (the runtime's timers cannot be cancelled, so the core
 * keeps its deadlines here and asks the runtime only for wake-ups). Confined to the loop thread.
 */
final class Timers {
  /** More than any protocol needs (retransmits, ticks, delayed pings are each bounded elsewhere). */
  static final int MAX_TIMERS = 1 << 17;

  static final class Timer implements LoopTimer {
    final long deadlineMs;
    final long order;
    Runnable task;

    Timer(long deadlineMs, long order, Runnable task) {
      this.deadlineMs = deadlineMs;
      this.order = order;
      this.task = task;
    }

    @Override
    public void cancel() {
      task = null;
    }

    boolean cancelled() {
      return task == null;
    }
  }

  private final PriorityQueue<Timer> queue = new PriorityQueue<>(
      (a, b) -> a.deadlineMs != b.deadlineMs ? Long.compare(a.deadlineMs, b.deadlineMs) : Long.compare(a.order, b.order));
  private long order;

  Timer schedule(long deadlineMs, Runnable task) {
    if (queue.size() >= MAX_TIMERS) {
      purgeCancelled();
    }
    Timer t = new Timer(deadlineMs, order++, task);
    queue.add(t);
    return t;
  }

  /** The earliest live deadline, or {@link Long#MAX_VALUE}. */
  long nextDeadline() {
    while (!queue.isEmpty() && queue.peek().cancelled()) {
      queue.poll();
    }
    Timer t = queue.peek();
    return t == null ? Long.MAX_VALUE : t.deadlineMs;
  }

  /** Runs every live timer due at {@code nowMs}, in deadline order; timers added meanwhile run if due. */
  void runDue(long nowMs, java.util.function.Consumer<Runnable> runner) {
    while (!queue.isEmpty() && queue.peek().deadlineMs <= nowMs) {
      Timer t = queue.poll();
      Runnable task = t.task;
      if (task != null) {
        t.task = null;
        runner.accept(task);
      }
    }
  }

  int size() {
    return queue.size();
  }

  void clear() {
    queue.clear();
  }

  private void purgeCancelled() {
    queue.removeIf(Timer::cancelled);
  }
}
