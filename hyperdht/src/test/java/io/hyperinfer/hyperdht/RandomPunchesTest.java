package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RandomPunchesTest {
  @Test
  void shouldAllowOneRandomPunchAtATime() {
    RandomPunches throttle = new RandomPunches(20_000, Long.MIN_VALUE);
    assertTrue(throttle.allowed(0));
    throttle.begin();
    assertFalse(throttle.allowed(1), "the limit is one");
    throttle.end(1, false);
    assertTrue(throttle.allowed(2), "a client's commitment does not start the pause");
  }

  @Test
  void shouldWaitTheIntervalAfterAPunchEndedWhenStamped() {
    RandomPunches throttle = new RandomPunches(20_000, Long.MIN_VALUE);
    throttle.begin();
    throttle.end(5_000, true);
    assertFalse(throttle.allowed(24_999));
    assertTrue(throttle.allowed(25_000));
    assertEquals(0, throttle.running());
  }

  @Test
  void shouldDeferTheFirstRandomPunchWhenAsked() {
    RandomPunches throttle = new RandomPunches(20_000, 100);
    assertFalse(throttle.allowed(100));
    assertTrue(throttle.allowed(20_100));
  }

  @Test
  void shouldNeverCountBelowZero() {
    RandomPunches throttle = new RandomPunches(0, Long.MIN_VALUE);
    throttle.end(0, false);
    assertEquals(0, throttle.running());
    assertThrows(IllegalArgumentException.class, () -> new RandomPunches(-1, 0));
  }
}
