package io.hyperinfer.secretstream.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReadSpinTest {
  private static final long WINDOW = 50_000;

  @Test
  void shouldNotPollWhenNothingWasReadYet() {
    assertFalse(new ReadSpin(WINDOW).shouldPoll());
  }

  @Test
  void shouldPollWhenBlockingReadReturnedWithinWindow() {
    ReadSpin spin = new ReadSpin(WINDOW);
    spin.onBlockingRead(WINDOW - 1);
    assertTrue(spin.shouldPoll());
  }

  @Test
  void shouldNotPollWhenBlockingReadWaitedLongerThanWindow() {
    ReadSpin spin = new ReadSpin(WINDOW);
    spin.onBlockingRead(WINDOW);
    assertFalse(spin.shouldPoll());
  }

  @Test
  void shouldStopPollingWhenPollTimesOutUntilAFastReadAgain() {
    ReadSpin spin = new ReadSpin(WINDOW);
    spin.onBlockingRead(10);
    spin.onPolled(false);
    assertFalse(spin.shouldPoll());
    spin.onBlockingRead(5 * WINDOW);
    assertFalse(spin.shouldPoll());
    spin.onBlockingRead(10);
    assertTrue(spin.shouldPoll());
  }

  @Test
  void shouldKeepPollingWhenPollFindsBytesWhateverTheFollowingReadTakes() {
    ReadSpin spin = new ReadSpin(WINDOW);
    spin.onBlockingRead(10);
    spin.onPolled(true);
    spin.onBlockingRead(5 * WINDOW);
    assertTrue(spin.shouldPoll());
  }

  @Test
  void shouldNeverPollWhenWindowIsZero() {
    ReadSpin spin = new ReadSpin(0);
    spin.onBlockingRead(0);
    assertFalse(spin.shouldPoll());
    assertEquals(0, spin.windowNanos());
  }

  @Test
  void shouldRejectNegativeWindowWhenCreated() {
    assertThrows(IllegalArgumentException.class, () -> new ReadSpin(-1));
  }
}
