package io.hyperinfer.network;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link RosterRefresher.Timer} on virtual time: tasks run when the test advances it. Confined to the test. */
final class ManualTimer implements RosterRefresher.Timer {
  private record Task(long dueNanos, Runnable run, boolean[] cancelled) {}

  private final List<Task> tasks = new ArrayList<>();
  private long nowNanos;

  @Override
  public synchronized AutoCloseable schedule(Duration delay, Runnable task) {
    boolean[] cancelled = {false};
    tasks.add(new Task(nowNanos + delay.toNanos(), task, cancelled));
    return () -> cancelled[0] = true;
  }

  /** Moves time on by {@code by}, running every task that falls due on the way. */
  void advance(Duration by) {
    long until;
    synchronized (this) {
      until = nowNanos + by.toNanos();
    }
    while (true) {
      Task due;
      synchronized (this) {
        due = tasks.stream().filter(t -> t.dueNanos <= until).min((a, b) -> Long.compare(a.dueNanos, b.dueNanos))
            .orElse(null);
        if (due == null) {
          nowNanos = until;
          return;
        }
        tasks.remove(due);
        nowNanos = due.dueNanos;
      }
      if (!due.cancelled[0]) {
        due.run.run();
      }
    }
  }

  synchronized long pending() {
    return tasks.stream().filter(t -> !t.cancelled[0]).count();
  }
}
