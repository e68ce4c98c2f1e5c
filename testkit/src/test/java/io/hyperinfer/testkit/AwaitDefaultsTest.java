package io.hyperinfer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class AwaitDefaultsTest {
  @Test
  void shouldCheckOnceWithoutDelayWhenConditionIsAlreadyTrue() {
    AtomicInteger checks = new AtomicInteger();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> checks.incrementAndGet() > 0);
    assertEquals(1, checks.get());
  }

  @Test
  void shouldPollFasterThanAwaitilitysDefaultWhenRegistered() {
    // Awaitility's own 100 ms delay and interval need at least 2 s for 20 checks; the registered defaults ~0.2 s.
    AtomicInteger checks = new AtomicInteger();
    Awaitility.await().atMost(Duration.ofMillis(1_900)).until(() -> checks.incrementAndGet() >= 20);
    assertEquals(20, checks.get());
  }
}
