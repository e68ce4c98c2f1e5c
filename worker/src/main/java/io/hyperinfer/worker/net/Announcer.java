package io.hyperinfer.worker.net;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Keeps topics announced: announces at once, then again every interval on the scheduler until removed. Thread-safe. */
final class Announcer {
  private final Scheduler scheduler;
  private final Duration interval;
  private final Consumer<String> announce;
  private final Map<String, Runnable> timers = new ConcurrentHashMap<>();

  Announcer(Scheduler scheduler, Duration interval, Consumer<String> announce) {
    this.scheduler = scheduler;
    this.interval = interval;
    this.announce = announce;
  }

  void add(String topic) {
    announce.accept(topic);
    timers.computeIfAbsent(topic, t -> scheduleNext(t));
  }

  /** Stops refreshing {@code topic}; true when it was announced. */
  boolean remove(String topic) {
    Runnable cancel = timers.remove(topic);
    if (cancel != null) {
      cancel.run();
    }
    return cancel != null;
  }

  Set<String> topics() {
    return Set.copyOf(timers.keySet());
  }

  void clear() {
    topics().forEach(this::remove);
  }

  private Runnable scheduleNext(String topic) {
    return scheduler.schedule(interval, () -> {
      if (timers.containsKey(topic)) {
        announce.accept(topic);
        timers.computeIfPresent(topic, (t, old) -> scheduleNext(t));
      }
    });
  }
}
