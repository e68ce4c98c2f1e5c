package io.hyperinfer.hyperdht.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.testkit.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** record-cache's lifetimes and sampling on virtual time (maxAge 20 min: a tick every 800 s). */
class RecordCacheTest {
  private static final Duration MAX_AGE = Duration.ofMinutes(20);
  private static final long TICK = 800_000;

  private final ManualClock clock = new ManualClock();
  private final SplittableRandom random = Seeds.random("RecordCacheTest");
  private final RecordCache<String, String, String> cache = new RecordCache<>(1000, MAX_AGE, clock, random);

  private void at(long millis) {
    clock.set(Instant.parse("2026-01-01T00:00:00Z").plusMillis(millis));
  }

  @Test
  void shouldExpireBetweenThirteenAndTwentySevenMinutesAfterTheLastAdd() {
    cache.add("topic", "early", "e");
    at(TICK - 1);
    cache.add("topic", "late", "l");
    at(2 * TICK - 1);
    assertEquals(Set.of("e", "l"), Set.copyOf(cache.get("topic", 0)));
    at(2 * TICK);
    assertEquals(List.of(), cache.get("topic", 0), "26.7 min after 'early', 13.3 min after 'late'");
  }

  @Test
  void shouldRefreshWhenAddedAgainButNotWhenRead() {
    cache.add("t", "a", "a1");
    cache.add("t", "b", "b1");
    at(TICK + 1);
    cache.add("t", "a", "a2");
    assertEquals(2, cache.get("t", 0).size(), "b is still in the stale generation");
    at(2 * TICK);
    assertEquals(List.of("a2"), cache.get("t", 0), "the re-added record took the new value and a new life");
    at(3 * TICK);
    assertEquals(List.of(), cache.get("t", 0));
  }

  @Test
  void shouldKeepTheFirstValueWhenAddedTwiceInOneGeneration() {
    cache.add("t", "a", "first");
    cache.add("t", "a", "second");
    assertEquals(List.of("first"), cache.get("t", 0), "as in JS: a fresh record is not replaced");
    assertEquals(1, cache.size());
  }

  @Test
  void shouldDrawDistinctRandomRecordsUpToTheLimit() {
    for (int i = 0; i < 30; i++) {
      cache.add("t", "k" + i, "v" + i);
      if (i == 14) {
        at(TICK);
      }
    }
    Set<String> seen = new HashSet<>();
    for (int round = 0; round < 200; round++) {
      List<String> got = cache.get("t", 20);
      assertEquals(20, got.size());
      assertEquals(20, Set.copyOf(got).size(), "no repeats");
      seen.addAll(got);
    }
    assertEquals(30, seen.size(), "every record, fresh or stale, gets drawn");
    assertEquals(30, cache.get("t", 100).size());
    assertEquals(List.of(), cache.get("other", 20));
  }

  @Test
  void shouldRemoveFromBothGenerations() {
    cache.add("t", "a", "1");
    at(TICK);
    cache.add("t", "b", "2");
    cache.remove("t", "a");
    cache.remove("t", "b");
    cache.remove("t", "missing");
    cache.remove("none", "a");
    assertEquals(0, cache.size());
    cache.add("t", "c", "3");
    cache.remove("t", "c");
    cache.add("t", "c", "4");
    assertEquals(List.of("4"), cache.get("t", 1));
  }

  @Test
  void shouldRotateWhenFreshExceedsMaxSizeAndStayBounded() {
    RecordCache<Integer, Integer, Integer> small = new RecordCache<>(3, MAX_AGE, clock, random);
    for (int i = 0; i < 4; i++) {
      small.add(i % 2, i, i);
    }
    assertEquals(4, small.size(), "all four moved to the stale generation");
    at(TICK);
    assertEquals(4, small.size(), "the tick after a size rotation is skipped");
    for (int i = 0; i < 50_000; i++) {
      small.add(i % 17, i, i);
      assertTrue(small.size() <= 7, "size " + small.size());
    }
    small.clear();
    assertEquals(0, small.size());
  }

  @Test
  void shouldRejectNullsAndEmptySizes() {
    assertThrows(IllegalArgumentException.class, () -> cache.add("t", null, "v"));
    assertThrows(IllegalArgumentException.class, () -> new RecordCache<>(0, MAX_AGE, clock, random));
  }
}
