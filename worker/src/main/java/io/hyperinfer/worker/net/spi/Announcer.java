package io.hyperinfer.worker.net.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps topics announced on a {@link Discovery}: announces at once, then again every interval on the scheduler until
 * removed. A failed refresh is logged and tried again at the next interval. Thread-safe.
 */
final class Announcer {
  private static final Logger LOG = LoggerFactory.getLogger(Announcer.class);

  private final Discovery discovery;
  private final Function<String, byte[]> keyOf;
  private final Scheduler scheduler;
  private final Duration interval;
  private final Map<String, Runnable> timers = new ConcurrentHashMap<>();

  Announcer(Discovery discovery, Scheduler scheduler, Duration interval) {
    this(discovery, scheduler, interval, Topics::key);
  }

  Announcer(Discovery discovery, Scheduler scheduler, Duration interval,
      Function<String, byte[]> keyOf) {
    this.discovery = discovery;
    this.keyOf = keyOf;
    this.scheduler = scheduler;
    this.interval = interval;
  }

  /** Announces {@code topic} now and keeps it announced; completes when the first announcement is made. */
  CompletableFuture<Void> add(String topic) {
    CompletableFuture<Void> first = discovery.announce(keyOf.apply(topic));
    timers.computeIfAbsent(topic, this::scheduleNext);
    return first;
  }

  /** Stops refreshing {@code topic} and withdraws it; true when it was announced. */
  CompletableFuture<Boolean> remove(String topic) {
    Runnable cancel = timers.remove(topic);
    if (cancel != null) {
      cancel.run();
    }
    return discovery.unannounce(keyOf.apply(topic)).thenApply(v -> cancel != null);
  }

  Set<String> topics() {
    return Set.copyOf(timers.keySet());
  }

  /** Withdraws every topic. */
  CompletableFuture<Void> clear() {
    return CompletableFuture.allOf(topics().stream().map(this::remove).toArray(CompletableFuture[]::new));
  }

  private Runnable scheduleNext(String topic) {
    return scheduler.schedule(interval, () -> {
      if (timers.containsKey(topic)) {
        discovery.announce(keyOf.apply(topic)).exceptionally(e -> {
          LOG.warn("re-announcing '{}' failed; trying again in {}", topic, interval, e);
          return null;
        });
        timers.computeIfPresent(topic, (t, old) -> scheduleNext(t));
      }
    });
  }
}
