package io.hyperinfer.hyperdht.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.ManualClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** xache's lifetimes on virtual time: with maxAge 20 min the GC ticks every 800 s (13.3 min). */
class GenerationCacheTest {
  private static final Duration MAX_AGE = Duration.ofMinutes(20);
  private static final long TICK = 800_000;

  private final ManualClock clock = new ManualClock();
  private final GenerationCache<String, Integer> cache = new GenerationCache<>(1000, MAX_AGE, clock);

  private void at(long millis) {
    clock.set(java.time.Instant.parse("2026-01-01T00:00:00Z").plusMillis(millis));
  }

  @Test
  void shouldTickEveryTwoThirdsOfMaxAgeWhenBuilt() {
    assertEquals(TICK, new GcSchedule(MAX_AGE, clock).tickMillis());
    assertEquals(115_200_000, new GcSchedule(Duration.ofHours(48), clock).tickMillis());
    assertEquals(5, new GcSchedule(Duration.ofMillis(7), clock).tickMillis(), "ceil(4.67)");
    assertThrows(IllegalArgumentException.class, () -> new GcSchedule(Duration.ofMillis(-1), clock));
  }

  @Test
  void shouldLiveUntilTheSecondTickWhenSetRightAfterCreation() {
    cache.set("a", 1);
    at(2 * TICK - 1);
    assertTrue(cache.has("a"), "26.7 min minus 1 ms");
    at(2 * TICK);
    assertFalse(cache.has("a"), "gone at 26.7 min");
  }

  @Test
  void shouldLiveOnlyOneTickWhenSetJustBeforeIt() {
    at(TICK - 1);
    cache.set("a", 1);
    at(2 * TICK - 1);
    assertTrue(cache.has("a"));
    at(2 * TICK);
    assertFalse(cache.has("a"), "13.3 min after it was set");
  }

  @Test
  void shouldRefreshAnOldEntryWhenRead() {
    cache.set("a", 1);
    at(TICK + 1);
    assertEquals(Optional.of(1), cache.get("a"), "read from the oldest generation moves it to the latest");
    at(3 * TICK - 1);
    assertTrue(cache.has("a"));
    at(3 * TICK);
    assertFalse(cache.has("a"));
  }

  @Test
  void shouldNotRefreshWhenOnlyChecked() {
    cache.set("a", 1);
    at(TICK + 1);
    assertTrue(cache.has("a"));
    at(2 * TICK);
    assertEquals(Optional.empty(), cache.get("a"));
  }

  @Test
  void shouldRotateAtOnceAndSkipTheNextTickWhenFull() {
    GenerationCache<String, Integer> small = new GenerationCache<>(3, MAX_AGE, clock);
    small.set("a", 1);
    small.set("b", 2);
    small.set("c", 3);
    assertEquals(3, small.size(), "rotated into the oldest generation, nothing lost");
    small.set("d", 4);
    small.set("e", 5);
    small.set("f", 6);
    assertFalse(small.has("a"), "a second rotation drops the first three");
    assertTrue(small.has("f"));
    at(TICK);
    assertTrue(small.has("d"), "the tick after a size rotation is skipped, as in JS");
    at(2 * TICK);
    assertFalse(small.has("d"));
  }

  @Test
  void shouldStayBoundedWhenFlooded() {
    GenerationCache<Integer, Integer> small = new GenerationCache<>(100, MAX_AGE, clock);
    for (int i = 0; i < 100_000; i++) {
      small.set(i, i);
      if (i % 7 == 0) {
        small.get(i - 150);
      }
      assertTrue(small.size() <= 200, "size " + small.size());
    }
  }

  @Test
  void shouldKeepRetainedEntriesForeverAndIgnoreSetsOnThem() {
    assertTrue(cache.retain("server", 1));
    cache.set("server", 2);
    at(100 * TICK);
    assertEquals(Optional.of(1), cache.get("server"));
    cache.set("x", 5);
    assertTrue(cache.retain("x", 6), "retaining takes an entry out of the generations");
    at(200 * TICK);
    assertEquals(Optional.of(6), cache.get("x"));
    assertTrue(cache.delete("server"));
    assertFalse(cache.delete("server"));
    assertFalse(cache.has("server"));
  }

  @Test
  void shouldBoundRetainedEntries() {
    GenerationCache<String, Integer> small = new GenerationCache<>(2, MAX_AGE, clock);
    assertTrue(small.retain("a", 1));
    assertTrue(small.retain("b", 1));
    assertFalse(small.retain("c", 1));
    assertTrue(small.retain("a", 2), "re-retaining a key is not growth");
  }

  @Test
  void shouldNeverExpireWhenMaxAgeIsZero() {
    GenerationCache<String, Integer> forever = new GenerationCache<>(10, Duration.ZERO, clock);
    forever.set("a", 1);
    at(Duration.ofDays(3650).toMillis());
    assertTrue(forever.has("a"));
  }

  @Test
  void shouldCatchUpOnLongIdleGapsWhenTouchedAgain() {
    cache.set("a", 1);
    at(1_000 * TICK + 5);
    assertEquals(0, cache.size());
    cache.set("b", 2);
    at(1_001 * TICK);
    assertTrue(cache.has("b"), "ticks still fall on multiples of the interval");
    at(1_002 * TICK);
    assertFalse(cache.has("b"));
  }

  @Test
  void shouldDropEverythingWhenCleared() {
    cache.set("a", 1);
    cache.retain("b", 2);
    cache.clear();
    assertEquals(0, cache.size());
    assertThrows(IllegalArgumentException.class, () -> cache.set(null, 1));
    assertThrows(IllegalArgumentException.class, () -> cache.retain("k", null));
    assertThrows(IllegalArgumentException.class, () -> new GenerationCache<>(0, MAX_AGE, clock));
  }
}
