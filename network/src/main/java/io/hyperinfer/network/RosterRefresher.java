package io.hyperinfer.network;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a {@link RosterBook} current: asks its {@link RosterSource} for a roster newer than the current one at once
 * and then {@code interval} after each answer (or failure), so a revocation reaches this worker at most
 * {@code interval} plus one fetch after the operator published it. Time comes from the injected {@link Timer} and
 * {@link InstantSource}, so tests run on virtual time. Thread-safe; at most one fetch runs at a time.
 */
public final class RosterRefresher implements AutoCloseable {
  /** The default wait between refreshes. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  /** Runs a task once after a delay. */
  @FunctionalInterface
  public interface Timer {
    /** Schedules {@code task}; the returned handle cancels it. */
    AutoCloseable schedule(Duration delay, Runnable task);

    /** A timer on {@code executor}. */
    static Timer of(ScheduledExecutorService executor) {
      return (delay, task) -> {
        ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      };
    }
  }

  private final RosterBook book;
  private final RosterSource source;
  private final Duration interval;
  private final Timer timer;
  private final InstantSource clock;
  private final AtomicLong fetches = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private AutoCloseable next;
  private CompletableFuture<Optional<RosterBook.Verdict>> running;
  private volatile Instant lastAnswer;
  private boolean closed;

  public RosterRefresher(RosterBook book, RosterSource source, Duration interval, Timer timer, InstantSource clock) {
    if (interval.isNegative() || interval.isZero()) {
      throw NetworkException.badArgument("the refresh interval must be positive: " + interval);
    }
    this.book = book;
    this.source = source;
    this.interval = interval;
    this.timer = timer;
    this.clock = clock;
  }

  /** Fetches now and keeps refreshing until closed. */
  public void start() {
    refreshNow();
  }

  /**
   * Fetches now, unless a fetch is running (then its result): completes with what the book did with the roster found,
   * empty when none was found; a failed fetch completes exceptionally. The next refresh is scheduled either way.
   */
  public synchronized CompletableFuture<Optional<RosterBook.Verdict>> refreshNow() {
    if (running != null) {
      return running;
    }
    if (closed) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    cancelNext();
    fetches.incrementAndGet();
    CompletableFuture<Optional<SignedRoster>> fetch;
    try {
      fetch = source.fetch(book.seq());
    } catch (RuntimeException e) {
      fetch = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Optional<RosterBook.Verdict>> result = fetch.thenApply(found -> {
      lastAnswer = clock.instant();
      return found.map(book::offer);
    });
    running = result;
    result.whenComplete((v, e) -> finished(e));
    return result;
  }

  private synchronized void finished(Throwable error) {
    running = null;
    if (error != null) {
      failures.incrementAndGet();
    }
    if (!closed) {
      next = timer.schedule(interval, this::refreshNow);
    }
  }

  /** Refreshes started so far. */
  public long fetches() {
    return fetches.get();
  }

  /** Refreshes that failed (DHT unreachable, timeouts). */
  public long failures() {
    return failures.get();
  }

  /** When the source last answered (with or without a roster), empty before the first answer. */
  public Optional<Instant> lastAnswer() {
    return Optional.ofNullable(lastAnswer);
  }

  public Duration interval() {
    return interval;
  }

  @Override
  public synchronized void close() {
    closed = true;
    cancelNext();
  }

  private void cancelNext() {
    if (next != null) {
      try {
        next.close();
      } catch (Exception ignored) {
        // A cancelled timer has nothing left to release.
      }
      next = null;
    }
  }
}
