package io.hyperinfer.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The small loop-confined parts: congestion window, token secrets, timers, time-ordered set. */
class SmallPartsTest {
  @Test
  void shouldFillTheWindowPerSlotAndOverFourSlots() {
    CongestionWindow w = new CongestionWindow(3);
    for (int i = 0; i < 3; i++) {
      assertFalse(w.isFull());
      w.send();
    }
    assertTrue(w.isFull());
    w.recv();
    assertFalse(w.isFull());
    w.send();
    w.drain();
    assertFalse(w.isFull());
    for (int i = 0; i < 3; i++) {
      w.send();
    }
    assertTrue(w.isFull(), "6 = 2 x max over the slots");
    w.drain();
    w.drain();
    assertTrue(w.isFull(), "both counted slots are still inside the four-slot window");
    w.drain();
    assertFalse(w.isFull(), "the first slot fell out of the window");
    w.recv(); // nothing in the current slot: no effect
    assertEquals(3, w.max());
  }

  @Test
  void shouldAcceptTokensForTwoRotationsAndBindThemToTheHostOnly() {
    TokenSecrets s = new TokenSecrets(new SplittableRandom(1));
    byte[] t = s.token("10.0.0.1");
    assertTrue(s.valid("10.0.0.1", t));
    assertFalse(s.valid("10.0.0.2", t));
    for (int i = 0; i < TokenSecrets.ROTATE_EVERY_DRAINS; i++) {
      s.drain();
    }
    assertTrue(s.valid("10.0.0.1", t), "one rotation: still the previous secret");
    for (int i = 0; i < TokenSecrets.ROTATE_EVERY_DRAINS; i++) {
      s.drain();
    }
    assertFalse(s.valid("10.0.0.1", t), "two rotations: gone");
  }

  @Test
  void shouldNotRotateBeforeTheFirstToken() {
    TokenSecrets s = new TokenSecrets(new SplittableRandom(2));
    for (int i = 0; i < 25; i++) {
      s.drain();
    }
    byte[] t = s.token("1.2.3.4");
    for (int i = 0; i < 19; i++) {
      s.drain();
    }
    assertTrue(s.valid("1.2.3.4", t));
  }

  @Test
  void shouldRunTimersInDeadlineOrderAndSkipCancelled() {
    Timers timers = new Timers();
    List<String> ran = new ArrayList<>();
    timers.schedule(20, () -> ran.add("b"));
    Timers.Timer a = timers.schedule(10, () -> ran.add("a"));
    Timers.Timer c = timers.schedule(10, () -> ran.add("c"));
    timers.schedule(30, () -> ran.add("late"));
    c.cancel();
    assertEquals(10, timers.nextDeadline());
    timers.runDue(25, Runnable::run);
    assertEquals(List.of("a", "b"), ran);
    a.cancel(); // already ran: harmless
    assertEquals(30, timers.nextDeadline());
    timers.clear();
    assertEquals(Long.MAX_VALUE, timers.nextDeadline());
    assertEquals(0, timers.size());
  }

  @Test
  void shouldPurgeCancelledTimersAtTheCap() {
    Timers timers = new Timers();
    for (int i = 0; i < Timers.MAX_TIMERS; i++) {
      timers.schedule(i, () -> {}).cancel();
    }
    timers.schedule(5, () -> {});
    assertEquals(1, timers.size());
  }

  @Test
  void shouldKeepNodesFromOldestToLatest() {
    TimeOrderedSet set = new TimeOrderedSet();
    TableNode a = new TableNode(new byte[32], "1.1.1.1", 1, null);
    TableNode b = new TableNode(new byte[32], "1.1.1.2", 1, null);
    TableNode c = new TableNode(new byte[32], "1.1.1.3", 1, null);
    set.add(a);
    set.add(b);
    set.add(c);
    set.add(a);
    assertSame(b, set.oldest);
    assertSame(a, set.latest);
    assertEquals(List.of(a, c, b), set.latestFirst(10));
    assertEquals(List.of(a), set.latestFirst(1));
    set.remove(c);
    assertEquals(2, set.length);
    set.remove(c);
    assertEquals(2, set.length);
    set.remove(b);
    set.remove(a);
    assertNull(set.oldest);
    assertNull(set.latest);
    assertFalse(set.has(a));
  }
}
