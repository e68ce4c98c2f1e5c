package io.hyperinfer.network;

import static io.hyperinfer.network.RosterTest.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.network.RosterBook.Verdict;
import io.hyperinfer.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RosterRefresherTest {
  private static final Duration EVERY = Duration.ofSeconds(30);
  private static final String MEMBER = "01".repeat(32);
  private final NetworkKey network = NetworkKey.generate();
  private final RosterBook book = new RosterBook(network);
  private final ManualTimer timer = new ManualTimer();
  private final ManualClock clock = new ManualClock();
  private final List<Long> asked = new ArrayList<>();
  private final List<CompletableFuture<Optional<SignedRoster>>> answers = new ArrayList<>();
  private final RosterSource source = minSeq -> {
    asked.add(minSeq);
    CompletableFuture<Optional<SignedRoster>> answer = new CompletableFuture<>();
    answers.add(answer);
    return answer;
  };

  @Test
  void shouldCutARevokedMemberOffWithinOneIntervalWhenTheOperatorPublishes() {
    SignedRoster v2 = network.sign(Roster.empty(network.hex()).admit(MEMBER, Role.GATEWAY));
    SignedRoster v3 = network.sign(v2.roster().revoke(MEMBER, null));
    RosterRefresher refresher = new RosterRefresher(book, source, EVERY, timer, clock);

    refresher.start();
    answers.getLast().complete(Optional.of(v2));
    assertTrue(book.hasRole(HexFormat.of().parseHex(MEMBER), Role.GATEWAY));
    assertEquals(clock.instant(), refresher.lastAnswer().orElseThrow());

    timer.advance(EVERY.minusSeconds(1));
    assertEquals(1, asked.size(), "no refresh before the interval");
    timer.advance(Duration.ofSeconds(1));
    assertEquals(List.of(0L, 2L), asked, "asks for rosters at least as new as the current one");
    answers.getLast().complete(Optional.of(v3));

    assertFalse(book.hasRole(HexFormat.of().parseHex(MEMBER), Role.GATEWAY));
    assertEquals(2, refresher.fetches());
    assertEquals(EVERY, refresher.interval());
  }

  @Test
  void shouldKeepRefreshingWhenAFetchFailsOrFindsNothing() {
    RosterRefresher refresher = new RosterRefresher(book, source, EVERY, timer, clock);
    refresher.start();
    answers.getLast().completeExceptionally(new IllegalStateException("DHT unreachable"));
    assertEquals(1, refresher.failures());
    assertTrue(refresher.lastAnswer().isEmpty());

    timer.advance(EVERY);
    CompletableFuture<Optional<Verdict>> second = refresher.refreshNow();
    assertSame(second, refresher.refreshNow(), "one fetch at a time");
    answers.getLast().complete(Optional.empty());
    assertEquals(Optional.empty(), second.join());
    assertEquals(2, refresher.fetches());
    assertEquals(1, timer.pending());
  }

  @Test
  void shouldCountAThrowingSourceAsAFailedFetch() {
    RosterSource broken = minSeq -> {
      throw new IllegalStateException("closed node");
    };
    RosterRefresher refresher = new RosterRefresher(book, broken, EVERY, timer, clock);

    assertTrue(refresher.refreshNow().isCompletedExceptionally());
    assertEquals(1, refresher.failures());
    assertEquals(1, timer.pending(), "the next try is scheduled");
  }

  @Test
  void shouldStopWhenClosed() {
    RosterRefresher refresher = new RosterRefresher(book, source, EVERY, timer, clock);
    refresher.start();
    answers.getLast().complete(Optional.empty());

    refresher.close();
    timer.advance(EVERY.multipliedBy(3));

    assertEquals(1, asked.size());
    assertEquals(0, timer.pending());
    assertEquals(Optional.empty(), refresher.refreshNow().join());
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> new RosterRefresher(book, source, Duration.ZERO, timer,
        clock));
  }

  @Test
  void shouldScheduleOnAnExecutorWhenGivenOne() throws Exception {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    try {
      CompletableFuture<String> ran = new CompletableFuture<>();
      AutoCloseable cancelled = RosterRefresher.Timer.of(executor).schedule(Duration.ofDays(1), () -> ran.complete(
          "late"));
      RosterRefresher.Timer.of(executor).schedule(Duration.ZERO, () -> ran.complete("now"));
      cancelled.close();
      assertEquals("now", ran.get(10, TimeUnit.SECONDS));
    } finally {
      executor.shutdownNow();
    }
  }
}
