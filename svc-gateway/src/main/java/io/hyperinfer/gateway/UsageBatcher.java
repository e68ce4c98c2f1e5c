package io.hyperinfer.gateway;

import io.hyperinfer.gateway.UsageMeter.Totals;
import io.hyperinfer.worker.store.Batch;
import io.hyperinfer.worker.store.Bee;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage records not yet in the store, aggregated per subject-day, and the one writer that moves them there. A
 * record lands in {@code pending}; the writer swaps {@code pending} out as one batch ({@code inflight}) and writes it
 * as one atomic Hyperbee batch, one read-modify-write per subject-day (this writer is the bee's only writer, so its
 * reads need no lock). Reads under {@link #readConsistently} see store + inflight + pending with no record counted
 * twice or missed: {@code inflight} empties in the same write-locked step that applies the batch.
 *
 * <p>Bounds: at most {@code capacity} subject-days pending, plus one batch of at most {@code capacity} being written.
 * When pending is full, {@link #add} waits up to {@code overflowWait} for the writer to take a batch, then drops the
 * record, counts it and logs it. Thread-safe; lock order: writer, store, pending.
 */
final class UsageBatcher {
  private static final Logger log = LoggerFactory.getLogger(UsageBatcher.class);

  private final Bee bee;
  private final Executor writer;
  private final int capacity;
  private final long overflowWaitNs;
  private final ReentrantLock writerLock = new ReentrantLock();
  private final ReentrantReadWriteLock storeLock = new ReentrantReadWriteLock();
  private final ReentrantLock pendingLock = new ReentrantLock();
  private final Condition room = pendingLock.newCondition();
  private final AtomicLong unflushed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  /** Guarded by pendingLock; writer.execute never runs the task inline, so it may be called holding it. */
  private Map<String, Totals> pending = new HashMap<>();
  private long pendingRecords;
  private boolean scheduled;
  private boolean closed;
  /** Written under the store write lock, read under its read lock. */
  private Map<String, Totals> inflight = Map.of();

  UsageBatcher(Bee bee, Executor writer, int capacity, Duration overflowWait) {
    if (capacity < 2) {
      throw new IllegalArgumentException("usage capacity must be at least 2, got " + capacity);
    }
    this.bee = bee;
    this.writer = writer;
    this.capacity = capacity;
    this.overflowWaitNs = overflowWait.toNanos();
  }

  /** Adds one record to {@code first} and {@code second} (may be null); false when it was dropped. */
  boolean add(String first, String second, Totals add) {
    return add(first, second, add, overflowWaitNs);
  }

  /** Adds one record if there is room now; false (nothing counted) when there is none. */
  boolean tryAdd(String first, String second, Totals add) {
    return add(first, second, add, -1);
  }

  private boolean add(String first, String second, Totals add, long waitBoundNs) {
    boolean schedule = false;
    boolean inline;
    pendingLock.lock();
    try {
      long waitNs = waitBoundNs;
      while (capacity - pending.size() < missing(first) + missing(second)) {
        if (waitBoundNs < 0) {
          return false;
        }
        if (waitNs <= 0) {
          drop();
          return false;
        }
        wakeWriter();
        waitNs = room.awaitNanos(waitNs);
      }
      pending.merge(first, add, Totals::plus);
      if (second != null) {
        pending.merge(second, add, Totals::plus);
      }
      pendingRecords++;
      unflushed.incrementAndGet();
      inline = closed;
      if (!inline && !scheduled) {
        scheduled = true;
        schedule = true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drop();
      return false;
    } finally {
      pendingLock.unlock();
    }
    if (inline) {
      flushAll();
    } else if (schedule) {
      submitDrain();
    }
    return true;
  }

  /** Stored totals of {@code key} plus what is being written and pending. */
  Totals read(String key) {
    return readConsistently(() -> bee.getJson(key).map(Totals::fromJson).orElse(Totals.ZERO).plus(pendingOf(key)));
  }

  /** Runs a read of the store during which no batch commits, so {@link #pendingOf} matches what it sees stored. */
  <T> T readConsistently(Supplier<T> read) {
    storeLock.readLock().lock();
    try {
      return read.get();
    } finally {
      storeLock.readLock().unlock();
    }
  }

  /** What {@code key} has in flight and pending; call inside {@link #readConsistently}. */
  Totals pendingOf(String key) {
    Totals t = inflight.getOrDefault(key, Totals.ZERO);
    pendingLock.lock();
    try {
      return t.plus(pending.getOrDefault(key, Totals.ZERO));
    } finally {
      pendingLock.unlock();
    }
  }

  long dropped() {
    return dropped.get();
  }

  long unflushed() {
    return unflushed.get();
  }

  /** Stops batching in the background and flushes what is pending, waiting at most {@code bound}. */
  boolean close(Duration bound) {
    pendingLock.lock();
    try {
      closed = true;
    } finally {
      pendingLock.unlock();
    }
    try {
      if (writerLock.tryLock(bound.toNanos(), TimeUnit.NANOSECONDS)) {
        try {
          while (flushOnce()) {
            // each round writes one batch
          }
          return true;
        } finally {
          writerLock.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("usage: the stop flush failed: {}", e.toString());
    }
    log.warn("usage: {} records still unwritten after the {} ms stop bound", unflushed.get(), bound.toMillis());
    return false;
  }

  /** After a failed batch nothing is scheduled; a record waiting for room must not wait on an idle writer. */
  private void wakeWriter() {
    if (!scheduled && !closed) {
      try {
        writer.execute(this::drain);
        scheduled = true;
      } catch (RejectedExecutionException e) {
        log.warn("usage: the writer refused a flush: {}", e.toString());
      }
    }
  }

  private int missing(String key) {
    return key == null || pending.containsKey(key) ? 0 : 1;
  }

  private void drop() {
    long n = dropped.incrementAndGet();
    if (n == 1 || n % 1000 == 0) {
      log.warn("usage: pending usage full ({} subject-days) for {} ms, {} records dropped so far", capacity,
          TimeUnit.NANOSECONDS.toMillis(overflowWaitNs), n);
    }
  }

  private void submitDrain() {
    try {
      writer.execute(this::drain);
    } catch (RejectedExecutionException e) {
      drain();
    }
  }

  /** The writer's task: flushes batches until nothing is pending, then lets the next record schedule it again. */
  private void drain() {
    while (true) {
      boolean wrote;
      writerLock.lock();
      try {
        wrote = flushOnce();
      } catch (RuntimeException e) {
        log.error("usage: writing a batch failed, it stays pending: {}", e.toString());
        pendingLock.lock();
        scheduled = false;
        pendingLock.unlock();
        return;
      } finally {
        writerLock.unlock();
      }
      pendingLock.lock();
      try {
        if (!wrote || pending.isEmpty()) {
          scheduled = false;
          return;
        }
      } finally {
        pendingLock.unlock();
      }
    }
  }

  private void flushAll() {
    writerLock.lock();
    try {
      while (flushOnce()) {
        // each round writes one batch
      }
    } finally {
      writerLock.unlock();
    }
  }

  /** Takes the pending aggregate as one batch and writes it; false when nothing was pending. Holds writerLock. */
  private boolean flushOnce() {
    long records;
    storeLock.writeLock().lock();
    try {
      pendingLock.lock();
      try {
        if (pending.isEmpty()) {
          return false;
        }
        inflight = pending;
        records = pendingRecords;
        pending = new HashMap<>();
        pendingRecords = 0;
        room.signalAll();
      } finally {
        pendingLock.unlock();
      }
    } finally {
      storeLock.writeLock().unlock();
    }
    try {
      Batch batch = bee.batch();
      inflight.forEach((key, add) ->
          batch.putJson(key, bee.getJson(key).map(Totals::fromJson).orElse(Totals.ZERO).plus(add).toJson()));
      storeLock.writeLock().lock();
      try {
        batch.flush();
        inflight = Map.of();
      } finally {
        storeLock.writeLock().unlock();
      }
      unflushed.addAndGet(-records);
      return true;
    } catch (RuntimeException e) {
      restore(records);
      throw e;
    }
  }

  /** Puts a failed batch's unwritten part back in front of pending, so reads and the next flush still see it. */
  private void restore(long records) {
    storeLock.writeLock().lock();
    try {
      pendingLock.lock();
      try {
        inflight.forEach((k, v) -> pending.merge(k, v, Totals::plus));
        inflight = Map.of();
        pendingRecords += records;
      } finally {
        pendingLock.unlock();
      }
    } finally {
      storeLock.writeLock().unlock();
    }
  }
}
