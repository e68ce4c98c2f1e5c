package io.hyperinfer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hyperinfer.testkit.ManualClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValidationCacheTest {
  private final ManualClock clock = new ManualClock();

  @Test
  void shouldForgetEntryWhenTtlPassed() {
    ValidationCache<String> cache = new ValidationCache<>(clock, Duration.ofSeconds(5), 10);
    cache.put("d", "user-1");
    clock.advance(Duration.ofMillis(4999));
    assertEquals(Optional.of("user-1"), cache.get("d"));
    clock.advance(Duration.ofMillis(1));
    assertEquals(Optional.empty(), cache.get("d"));
    assertEquals(0, cache.size());
  }

  @Test
  void shouldEvictOldestWhenFull() {
    ValidationCache<String> cache = new ValidationCache<>(clock, Duration.ofSeconds(5), 2);
    cache.put("a", "1");
    cache.put("b", "2");
    cache.put("c", "3");
    assertEquals(Optional.empty(), cache.get("a"));
    assertEquals(2, cache.size());
    cache.invalidate("b");
    assertEquals(Optional.empty(), cache.get("b"));
  }

  @Test
  void shouldCacheNothingWhenTtlIsZero() {
    ValidationCache<String> cache = new ValidationCache<>(clock, Duration.ZERO, 2);
    cache.put("a", "1");
    assertEquals(Optional.empty(), cache.get("a"));
    assertEquals(Duration.ZERO, cache.ttl());
  }
}
