package io.hyperinfer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import io.hyperinfer.gateway.UsageMeter.Totals;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.store.Batch;
import io.hyperinfer.worker.store.Bee;
import io.hyperinfer.worker.store.Entry;
import io.hyperinfer.worker.store.RangeOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class UsageMeterTest {
  private static final Duration NO_WAIT = Duration.ZERO;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T10:00:00Z"));
  private final CountingBee bee = new CountingBee();
  private final ManualExecutor writer = new ManualExecutor();

  @Test
  void shouldReadRecordedUsageWhenTheWriterHasNotRun() {
    UsageMeter meter = new UsageMeter(bee, clock, writer, 100, NO_WAIT);

    meter.record("u1", "k1", true, 10, 5);

    assertEquals(Optional.empty(), bee.stored("user/u1/2026-12-06"));
    assertEquals(new Totals(1, 0, 10, 5), meter.userToday("u1"));
    assertEquals(15, meter.history("key/k1", 7).path("total").path("totalTokens").asLong());
    assertEquals(1, meter.unflushed());
  }

  @Test
  void shouldWriteOneAggregatedPutPerSubjectDayWhenManyRecordsShareABatch() {
    UsageMeter meter = new UsageMeter(bee, clock, writer, 100, NO_WAIT);
    for (int i = 0; i < 50; i++) {
      meter.record("u1", "k1", i % 10 != 0, 2, 3);
      meter.record("u2", null, true, 1, 1);
    }

    assertEquals(1, writer.queued(), "one drain task for the whole burst");
    writer.runAll();

    assertEquals(1, bee.flushedBatches);
    assertEquals(3, bee.puts);
    assertEquals(Optional.of(new Totals(50, 5, 100, 150)), bee.stored("user/u1/2026-12-06"));
    assertEquals(Optional.of(new Totals(50, 5, 100, 150)), bee.stored("key/k1/2026-12-06"));
    assertEquals(Optional.of(new Totals(50, 0, 50, 50)), bee.stored("user/u2/2026-12-06"));
    assertEquals(new Totals(50, 5, 100, 150), meter.userToday("u1"), "read after the flush counts nothing twice");
    assertEquals(0, meter.unflushed());
  }

  @Test
  void shouldAddToStoredTotalsAndKeepDaysApartWhenBatchesFollowEachOther() {
    UsageMeter meter = new UsageMeter(bee, clock, writer, 100, NO_WAIT);
    meter.record("u1", "k1", true, 1, 1);
    writer.runAll();
    meter.record("u1", "k1", true, 2, 2);
    clock.advance(Duration.ofDays(1));
    meter.record("u1", "k1", false, 0, 0);

    assertEquals(1, writer.queued(), "the next record schedules the writer again");
    var before = meter.history("user/u1", 7);
    writer.runAll();
    var after = meter.history("user/u1", 7);

    assertEquals(before, after);
    assertEquals("2026-12-07", after.path("days").get(0).path("day").asText());
    assertEquals(1, after.path("days").get(0).path("failed").asLong());
    assertEquals("2026-12-06", after.path("days").get(1).path("day").asText());
    assertEquals(6, after.path("days").get(1).path("totalTokens").asLong());
    assertEquals(3, after.path("total").path("requests").asLong());
    assertEquals(Optional.of(new Totals(2, 0, 3, 3)), bee.stored("user/u1/2026-12-06"));
  }

  @Test
  void shouldDropAndCountWhenPendingIsFullPastTheOverflowWait() {
    UsageMeter meter = new UsageMeter(bee, clock, writer, 2, NO_WAIT);
    meter.record("u1", "k1", true, 1, 1);

    meter.record("u2", "k2", true, 1, 1);
    meter.record("u1", "k1", true, 1, 1);

    assertEquals(1, meter.dropped());
    assertEquals(Totals.ZERO, meter.userToday("u2"));
    assertEquals(new Totals(2, 0, 2, 2), meter.userToday("u1"), "a subject-day already pending needs no room");
    writer.runAll();
    meter.record("u2", "k2", true, 1, 1);
    assertEquals(new Totals(1, 0, 1, 1), meter.userToday("u2"), "room again once the writer took the batch");
  }

  @Test
  void shouldRefuseWithoutWaitingOrCountingWhenTryRecordFindsPendingFull() {
    UsageMeter meter = new UsageMeter(bee, clock, writer, 2, Duration.ofSeconds(30));
    assertTrue(meter.tryRecord("u1", "k1", true, 1, 1));

    assertFalse(meter.tryRecord("u2", "k2", true, 1, 1));
    assertTrue(meter.tryRecord("u1", "k1", true, 1, 1));

    assertEquals(0, meter.dropped());
    assertEquals(Totals.ZERO, meter.userToday("u2"));
    assertEquals(new Totals(2, 0, 2, 2), meter.userToday("u1"));
  }

  @Test
  void shouldWaitForRoomWhenPendingIsFullWithinTheOverflowWait() {
    UsageMeter meter = new UsageMeter(bee, clock, writer, 2, Duration.ofSeconds(30));
    meter.record("u1", "k1", true, 1, 1);
    Thread[] waiter = new Thread[1];
    CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
      waiter[0] = Thread.currentThread();
      meter.record("u2", "k2", true, 4, 4);
    }, r -> Thread.ofVirtual().start(r));

    await().until(() -> waiter[0] != null && waiter[0].getState() == Thread.State.TIMED_WAITING);
    assertFalse(blocked.isDone());
    writer.runAll();

    blocked.join();
    assertEquals(0, meter.dropped());
    assertEquals(new Totals(1, 0, 4, 4), meter.userToday("u2"));
  }

  @Test
  void shouldFlushEverythingAtStopWhenTheWriterNeverRan() {
    UsageMeter meter = new UsageMeter(bee, clock, writer, 100, NO_WAIT);
    meter.record("u1", "k1", true, 3, 4);
    meter.record("u1", null, false, 0, 0);

    assertTrue(meter.close(Duration.ofSeconds(5)));

    assertEquals(Optional.of(new Totals(2, 1, 3, 4)), bee.stored("user/u1/2026-12-06"));
    assertEquals(0, meter.unflushed());
    meter.record("u1", "k1", true, 1, 1);
    assertEquals(Optional.of(new Totals(3, 1, 4, 5)), bee.stored("user/u1/2026-12-06"), "after stop a record is written at once");
    writer.runAll();
    assertEquals(new Totals(3, 1, 4, 5), meter.userToday("u1"));
  }

  @Test
  void shouldKeepABatchPendingWhenTheStoreFailsToWriteIt() {
    UsageMeter meter = new UsageMeter(bee, clock, writer, 100, NO_WAIT);
    meter.record("u1", "k1", true, 1, 2);
    bee.failNextFlush = true;

    writer.runAll();

    assertEquals(Optional.empty(), bee.stored("user/u1/2026-12-06"));
    assertEquals(new Totals(1, 0, 1, 2), meter.userToday("u1"));
    meter.record("u1", "k1", true, 1, 2);
    writer.runAll();
    assertEquals(Optional.of(new Totals(2, 0, 2, 4)), bee.stored("user/u1/2026-12-06"));
    assertEquals(0, meter.unflushed());
  }

  @Test
  void shouldScheduleTheWriterForAWaitingRecordWhenAFailedBatchLeftPendingFull() {
    UsageMeter meter = new UsageMeter(bee, clock, writer, 2, Duration.ofSeconds(30));
    meter.record("u1", "k1", true, 1, 1);
    bee.failNextFlush = true;
    writer.runAll();
    CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> meter.record("u2", "k2", true, 1, 1),
        r -> Thread.ofVirtual().start(r));

    await().until(() -> writer.queued() == 1);
    writer.runAll();

    blocked.join();
    assertEquals(Optional.of(new Totals(1, 0, 1, 1)), bee.stored("user/u1/2026-12-06"));
    assertEquals(new Totals(1, 0, 1, 1), meter.userToday("u2"));
    assertEquals(0, meter.dropped());
  }

  @Test
  void shouldGiveUpTheStopFlushWhenTheBoundRunsOut() throws Exception {
    UsageMeter meter = new UsageMeter(bee, clock, writer, 100, NO_WAIT);
    meter.record("u1", "k1", true, 1, 1);
    bee.holdFlush = new CompletableFuture<>();
    Thread stuck = Thread.ofVirtual().start(writer::runAll);
    await().until(() -> bee.flushEntered.get() == 1);

    assertFalse(meter.close(Duration.ofMillis(1)));
    assertEquals(1, meter.unflushed());

    bee.holdFlush.complete(null);
    stuck.join();
    assertEquals(0, meter.unflushed());
  }

  /** Runs submitted tasks only when the test says so. */
  private static final class ManualExecutor implements Executor {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
      tasks.add(task);
    }

    synchronized int queued() {
      return tasks.size();
    }

    void runAll() {
      Runnable next;
      while ((next = poll()) != null) {
        next.run();
      }
    }

    private synchronized Runnable poll() {
      return tasks.poll();
    }
  }

  /** A sorted in-memory bee that counts writes and can fail or hold a batch. */
  private static final class CountingBee implements Bee {
    private final TreeMap<byte[], byte[]> map = new TreeMap<>(Arrays::compareUnsigned);
    final AtomicInteger flushEntered = new AtomicInteger();
    volatile int puts;
    volatile int flushedBatches;
    volatile boolean failNextFlush;
    volatile CompletableFuture<Void> holdFlush = CompletableFuture.completedFuture(null);

    Optional<Totals> stored(String key) {
      return getJson(key).map(Totals::fromJson);
    }

    @Override
    public synchronized Optional<byte[]> get(byte[] key) {
      return Optional.ofNullable(map.get(key));
    }

    @Override
    public synchronized void put(byte[] key, byte[] value) {
      puts++;
      map.put(key, value);
    }

    @Override
    public synchronized boolean del(byte[] key) {
      return map.remove(key) != null;
    }

    @Override
    public Batch batch() {
      List<byte[][]> writes = new ArrayList<>();
      return new Batch() {
        @Override
        public Batch put(byte[] key, byte[] value) {
          writes.add(new byte[][] {key, value});
          return this;
        }

        @Override
        public Batch del(byte[] key) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void flush() {
          flushEntered.incrementAndGet();
          holdFlush.join();
          if (failNextFlush) {
            failNextFlush = false;
            throw new IllegalStateException("disk full");
          }
          synchronized (CountingBee.this) {
            writes.forEach(w -> CountingBee.this.put(w[0], w[1]));
            flushedBatches++;
          }
        }
      };
    }

    @Override
    public synchronized List<Entry> range(RangeOptions o) {
      var view = map.subMap(o.gte(), true, o.lt(), false);
      return view.entrySet().stream().map(e -> new Entry(e.getKey(), e.getValue())).toList();
    }

    @Override
    public Bee sub(String prefix) {
      throw new UnsupportedOperationException();
    }
  }
}
