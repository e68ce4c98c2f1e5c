package io.hyperinfer.udx;

import java.util.PriorityQueue;

/**
 * Deadlines of one socket loop, earliest first. Entries are never cancelled: a task that fires early re-checks its
 * own state and re-arms, which keeps re-arming an RTO on every ack as cheap as not touching the queue. Confined to
 * the loop thread.
 */
final class TimerQueue {
  private record Entry(long deadlineNs, long order, Runnable task) {}

  private final PriorityQueue<Entry> queue = new PriorityQueue<>(
      (a, b) -> a.deadlineNs != b.deadlineNs ? Long.compare(a.deadlineNs, b.deadlineNs) : Long.compare(a.order, b.order));
  private long order;

  void schedule(long deadlineNs, Runnable task) {
    queue.add(new Entry(deadlineNs, order++, task));
  }

  /** The earliest deadline, or {@link Long#MAX_VALUE}. */
  long nextNs() {
    Entry e = queue.peek();
    return e == null ? Long.MAX_VALUE : e.deadlineNs;
  }

  /** Hands every task due at {@code nowNs} to {@code runner}. */
  void runDue(long nowNs, java.util.function.Consumer<Runnable> runner) {
    while (!queue.isEmpty() && queue.peek().deadlineNs <= nowNs) {
      runner.accept(queue.poll().task);
    }
  }
}
