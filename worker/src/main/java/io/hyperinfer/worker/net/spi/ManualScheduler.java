package io.hyperinfer.worker.net.spi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A scheduler whose tasks run only in {@link #runDue()}, on the calling thread, in due order (ties in scheduling
 * order). Pair it with a clock a test advances (testkit's ManualClock): advance, then runDue. Thread-safe.
 */
public final class ManualScheduler implements Scheduler {
  private record Task(Instant due, long order, Runnable run) {}

  private final Clock clock;
  private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> {
    int c = a.due.compareTo(b.due);
    return c != 0 ? c : Long.compare(a.order, b.order);
  });
  private long nextOrder;

  public ManualScheduler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public synchronized Runnable schedule(Duration delay, Runnable task) {
    Task t = new Task(clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay), nextOrder++, task);
    queue.add(t);
    return () -> {
      synchronized (this) {
        queue.remove(t);
      }
    };
  }

  /** Runs every task due at the clock's current instant, including tasks those tasks schedule for now or earlier. */
  public int runDue() {
    int ran = 0;
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due.isAfter(clock.instant())) {
          return ran;
        }
        queue.poll();
      }
      next.run.run();
      ran++;
    }
  }

  /** Tasks waiting, for diagnostics. */
  public synchronized int pending() {
    return queue.size();
  }

  /** Due instants of waiting tasks, earliest first. */
  public synchronized List<Instant> dueTimes() {
    List<Task> copy = new ArrayList<>(queue);
    copy.sort(queue.comparator());
    return copy.stream().map(Task::due).toList();
  }
}
