package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's bounded handshake table, on virtual time. */
class HandshakeSlotsTest {
  @Test
  void shouldFindTheSameSlotForTheSameMessageUntilTheClearWaitPassed() {
    HandshakeSlots<String> slots = new HandshakeSlots<>(10_000, 100);
    HandshakeSlots.Slot<String> slot = slots.add("m1", 0);
    slot.answer = new byte[] {2};
    assertSame(slot, slots.find("m1", 5));
    slots.settle(slot, 1_000);
    assertSame(slot, slots.find("m1", 10_999), "kept 10 s after it settled");
    assertNull(slots.find("m1", 11_000), "then forgotten");
    assertEquals(0, slots.settled());
  }

  @Test
  void shouldRefuseASecondSlotForOneMessage() {
    HandshakeSlots<String> slots = new HandshakeSlots<>(10_000, 100);
    slots.add("m1", 0);
    assertThrows(IllegalStateException.class, () -> slots.add("m1", 0));
  }

  @Test
  void shouldReuseTheLowestFreeIdAsJsDoes() {
    HandshakeSlots<String> slots = new HandshakeSlots<>(0, 100);
    HandshakeSlots.Slot<String> a = slots.add("a", 0);
    HandshakeSlots.Slot<String> b = slots.add("b", 0);
    assertEquals(0, a.id);
    assertEquals(1, b.id);
    slots.settle(a, 0);
    assertEquals(0, slots.add("c", 1).id, "a's id is free once a is forgotten");
  }

  @Test
  void shouldForgetTheOldestSettledSlotBeyondTheCap() {
    HandshakeSlots<String> slots = new HandshakeSlots<>(10_000, 2);
    HandshakeSlots.Slot<String> a = slots.add("a", 0);
    HandshakeSlots.Slot<String> b = slots.add("b", 0);
    HandshakeSlots.Slot<String> c = slots.add("c", 0);
    slots.settle(a, 1);
    slots.settle(b, 2);
    slots.settle(c, 3);
    assertEquals(2, slots.settled());
    assertNull(slots.find("a", 4));
    assertSame(b, slots.find("b", 4));
  }

  @Test
  void shouldCountPendingSlotsAndSettleEachOnce() {
    HandshakeSlots<String> slots = new HandshakeSlots<>(10_000, 100);
    HandshakeSlots.Slot<String> a = slots.add("a", 0);
    a.state = "stream a";
    slots.add("b", 0).state = "stream b";
    assertEquals(2, slots.pending());
    slots.settle(a, 1);
    slots.settle(a, 2);
    assertEquals(1, slots.pending());
    assertNull(a.state, "a settled slot keeps only its answer");
    assertEquals(List.of("stream b"), slots.clear());
    assertEquals(0, slots.pending());
    assertNull(slots.find("a", 3));
  }
}
