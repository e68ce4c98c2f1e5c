package io.hyperinfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.net.PeerRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The look-again policy on an empty gateway lookup, on a manual clock that the pauses move (nothing sleeps). */
class GatewayWaitTest {
  private static final Duration WAIT = Duration.ofSeconds(2);
  private final PeerRef a = TestKeys.peer(1);
  private final ManualClock clock = new ManualClock();
  private final List<Duration> pauses = new ArrayList<>();
  private final GatewayWait wait = new GatewayWait(WAIT, clock, d -> {
    pauses.add(d);
    clock.advance(d);
  });

  /** Lookups answering {@code answers} in turn, then empty ones; counts the lookups made. */
  private static class Lookups implements Supplier<List<PeerRef>> {
    private final Deque<List<PeerRef>> answers;
    int made;

    @SafeVarargs
    Lookups(List<PeerRef>... answers) {
      this.answers = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public List<PeerRef> get() {
      made++;
      return answers.isEmpty() ? List.of() : answers.poll();
    }
  }

  private static List<Duration> millis(long... ms) {
    List<Duration> out = new ArrayList<>();
    for (long m : ms) {
      out.add(Duration.ofMillis(m));
    }
    return out;
  }

  @Test
  void shouldReturnTheFirstAnswerWithoutLookingAgainWhenItFoundAGateway() {
    Lookups again = new Lookups();
    assertEquals(List.of(a), wait.until(List.of(a), again));
    assertEquals(0, again.made);
    assertEquals(List.of(), pauses);
  }

  @Test
  void shouldLookAgainWithDoublingPausesUntilAGatewayIsFoundWhenTheFirstLookupFindsNone() {
    Lookups again = new Lookups(List.of(), List.of(), List.of(a));

    assertEquals(List.of(a), wait.until(List.of(), again));

    assertEquals(3, again.made);
    assertEquals(3, wait.repeated());
    assertEquals(millis(50, 100, 200), pauses);
  }

  @Test
  void shouldGiveUpWithinTheWaitWhenNoGatewayEverAppears() {
    Instant start = clock.instant();
    Lookups again = new Lookups();

    assertEquals(List.of(), wait.until(List.of(), again));

    assertEquals(millis(50, 100, 200, 400, 500, 500, 250), pauses, "doubling, capped at 500 ms, cut at the end");
    assertEquals(WAIT, Duration.between(start, clock.instant()));
    assertEquals(7, again.made);
  }

  @Test
  void shouldNotWaitAgainRightAfterAWaitThatFoundNothing() {
    wait.until(List.of(), new Lookups());
    pauses.clear();

    Lookups soon = new Lookups(List.of(a));
    assertEquals(List.of(), wait.until(List.of(), soon), "a second look within the wait fails at once");
    assertEquals(0, soon.made);

    clock.advance(WAIT);
    Lookups later = new Lookups(List.of(a));
    assertEquals(List.of(a), wait.until(List.of(), later), "after the wait's length it waits again");
    assertEquals(millis(50), pauses);
  }

  @Test
  void shouldCountThePausesWhenTheClockStandsStill() {
    List<Duration> taken = new ArrayList<>();
    GatewayWait still = new GatewayWait(WAIT, Clock.fixed(Instant.EPOCH, java.time.ZoneOffset.UTC), taken::add);

    assertEquals(List.of(), still.until(List.of(), new Lookups()));

    assertEquals(WAIT, taken.stream().reduce(Duration.ZERO, Duration::plus), "bounded by the pauses it took");
  }

  @Test
  void shouldChargeSlowLookupsToTheWait() {
    Lookups again = new Lookups() {
      @Override
      public List<PeerRef> get() {
        clock.advance(Duration.ofMillis(900));
        return super.get();
      }
    };

    assertEquals(List.of(), wait.until(List.of(), again));

    assertEquals(millis(50, 100, 50), pauses, "slow lookups spend the wait too");
    assertEquals(3, again.made);
  }

  @Test
  void shouldNotWaitWhenTheWaitIsZero() {
    GatewayWait none = new GatewayWait(Duration.ZERO, clock, d -> pauses.add(d));
    Lookups again = new Lookups(List.of(a));
    assertEquals(List.of(), none.until(List.of(), again));
    assertEquals(0, again.made);
    assertEquals(List.of(), pauses);
  }

  @Test
  void shouldStopAndKeepTheInterruptWhenInterruptedWhilePausing() {
    GatewayWait interrupted = new GatewayWait(WAIT, clock, d -> {
      throw new InterruptedException("stop");
    });
    Lookups again = new Lookups(List.of(a));
    try {
      assertEquals(List.of(), interrupted.until(List.of(), again));
      assertEquals(0, again.made);
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }
}
