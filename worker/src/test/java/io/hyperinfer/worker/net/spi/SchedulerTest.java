package io.hyperinfer.worker.net.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  @Test
  void shouldRunDueTasksInOrderWhenClockAdvances() {
    ManualClock clock = new ManualClock();
    ManualScheduler s = new ManualScheduler(clock);
    List<String> ran = new CopyOnWriteArrayList<>();
    s.schedule(Duration.ofSeconds(2), () -> ran.add("b"));
    s.schedule(Duration.ofSeconds(1), () -> ran.add("a"));
    s.schedule(Duration.ofSeconds(2), () -> ran.add("c"));
    Runnable cancel = s.schedule(Duration.ofSeconds(1), () -> ran.add("cancelled"));
    cancel.run();
    s.schedule(Duration.ofSeconds(-1), () -> s.schedule(Duration.ZERO, () -> ran.add("now2")));
    assertEquals(clock, s.clock());
    assertEquals(4, s.pending());
    assertEquals(2, s.runDue());
    assertEquals(List.of("now2"), ran);
    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, s.runDue());
    assertEquals(clock.instant().plusSeconds(1), s.dueTimes().getFirst());
    clock.advance(Duration.ofSeconds(1));
    s.runDue();
    assertEquals(List.of("now2", "a", "b", "c"), ran);
    assertEquals(0, s.pending());
  }

  @Test
  void shouldRunTaskOnRealTimeWhenUsingSystemScheduler() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    Scheduler.system().schedule(Duration.ofMillis(1), ran::countDown);
    assertTrue(ran.await(5, TimeUnit.SECONDS));
    CountDownLatch never = new CountDownLatch(1);
    Scheduler.system().schedule(Duration.ofSeconds(30), never::countDown).run();
    assertEquals(1, never.getCount());
    assertTrue(Scheduler.system().clock().instant().getEpochSecond() > 0);
  }
}
