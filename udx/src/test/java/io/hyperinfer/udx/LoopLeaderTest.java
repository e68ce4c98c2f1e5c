package io.hyperinfer.udx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The leader's spin policy: spin while replies come inside the window, back off from a stream whose replies do not. */
class LoopLeaderTest {

  @Test
  void shouldSpinWhenTheStreamsRepliesCameInsideTheWindow() {
    assertTrue(LoopLeader.spins(0));
    assertEquals(0, LoopLeader.missesAfter(3, true), "a reply inside the window resets the count");
  }

  @Test
  void shouldStopSpinningWhenRepliesMissTheWindowRepeatedly() {
    int misses = 0;
    for (int i = 0; i < LoopLeader.SPIN_MISSES; i++) {
      assertTrue(LoopLeader.spins(misses));
      misses = LoopLeader.missesAfter(misses, false);
    }
    assertFalse(LoopLeader.spins(misses));
  }

  @Test
  void shouldTrySpinningAgainOnceInAWhileWhenItStopped() {
    int misses = LoopLeader.SPIN_MISSES;
    int tries = 0;
    for (int call = 0; call < 4 * LoopLeader.SPIN_RETRY; call++) {
      if (LoopLeader.spins(misses)) {
        tries++;
      }
      misses = LoopLeader.missesAfter(misses, false);
    }
    assertEquals(4, tries, "one call in SPIN_RETRY tries again");
    assertTrue(LoopLeader.spins(LoopLeader.missesAfter(misses, true)), "a hit turns spinning back on");
  }

  @Test
  void shouldKeepCountingWithoutOverflowWhenAStreamNeverHits() {
    int after = LoopLeader.missesAfter(Integer.MAX_VALUE, false);
    assertEquals(LoopLeader.SPIN_MISSES, after);
    assertFalse(LoopLeader.spins(after));
  }
}
