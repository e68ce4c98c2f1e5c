package io.hyperinfer.secretstream.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.testkit.Vectors;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Namespaces, keepalive and idle-timeout timing, and unordered envelopes. */
class SupportTest {
  @Test
  void shouldMatchJsNamespacesWhenDerived() {
    assertArrayEquals(Vectors.hex("/ns/secret-stream INITIATOR (0)"), Namespaces.INITIATOR);
    assertArrayEquals(Vectors.hex("/ns/secret-stream RESPONDER (1)"), Namespaces.RESPONDER);
    assertArrayEquals(Vectors.hex("/ns/secret-stream SEND (2)"), Namespaces.SEND);
  }

  @Test
  void shouldBecomeDueOneIntervalAfterLastWriteWhenClockAdvances() {
    ManualClock clock = new ManualClock();
    KeepAlive keepAlive = new KeepAlive(Duration.ofSeconds(5), clock);
    assertEquals(5000, keepAlive.millisUntilDue());
    clock.advance(Duration.ofMillis(4999));
    assertEquals(1, keepAlive.millisUntilDue());
    clock.advance(Duration.ofMillis(1));
    assertEquals(0, keepAlive.millisUntilDue());
    keepAlive.onWrite();
    assertEquals(5000, keepAlive.millisUntilDue());
    clock.advance(Duration.ofSeconds(7));
    assertEquals(-2000, keepAlive.millisUntilDue());
    assertThrows(IllegalArgumentException.class, () -> new KeepAlive(Duration.ZERO, clock));
  }

  @Test
  void shouldExpireOneTimeoutAfterLastReadWhenTimeoutIsSet() {
    ManualClock clock = new ManualClock();
    IdleTimeout idle = new IdleTimeout(clock);
    assertEquals(IdleTimeout.OFF, idle.millisUntilExpiry());
    assertFalse(idle.isOn());
    idle.set(Duration.ofSeconds(5));
    assertTrue(idle.isOn());
    assertEquals(Duration.ofSeconds(5), idle.timeout());
    clock.advance(Duration.ofMillis(3000));
    assertEquals(2000, idle.millisUntilExpiry());
    idle.onRead();
    assertEquals(5000, idle.millisUntilExpiry());
    clock.advance(Duration.ofMillis(5001));
    assertEquals(-1, idle.millisUntilExpiry());
    idle.set(Duration.ofSeconds(5));
    assertEquals(5000, idle.millisUntilExpiry());
  }

  @Test
  void shouldStopCountingWhenTimeoutIsSetToZero() {
    ManualClock clock = new ManualClock();
    IdleTimeout idle = new IdleTimeout(clock);
    idle.set(Duration.ofMillis(100));
    idle.set(Duration.ZERO);
    clock.advance(Duration.ofHours(1));
    idle.onRead();
    assertEquals(IdleTimeout.OFF, idle.millisUntilExpiry());
    assertEquals(Duration.ZERO, idle.timeout());
    idle.set(Duration.ofNanos(1));
    assertEquals(Duration.ofMillis(1), idle.timeout());
    assertThrows(IllegalArgumentException.class, () -> idle.set(Duration.ofMillis(-1)));
  }

  @Test
  void shouldExpireAtHandshakeDeadlineWhenReadsKeepIdleTimerFresh() {
    ManualClock clock = new ManualClock();
    IdleTimeout idle = new IdleTimeout(clock);
    idle.set(Duration.ofSeconds(5));
    idle.handshakeDeadline(Duration.ofSeconds(2));
    assertTrue(idle.isOn());
    clock.advance(Duration.ofMillis(1500));
    idle.onRead(); // a trickled byte
    assertEquals(500, idle.millisUntilExpiry());
    assertFalse(idle.handshakeExpired());
    clock.advance(Duration.ofMillis(500));
    assertEquals(0, idle.millisUntilExpiry());
    assertTrue(idle.handshakeExpired());
    assertTrue(idle.handshakeDone());
    assertFalse(idle.handshakeDone(), "nothing pending the second time");
    assertEquals(4500, idle.millisUntilExpiry(), "only the idle timeout is left");
  }

  @Test
  void shouldBeOnWithOnlyHandshakeDeadlineWhenIdleTimeoutIsOff() {
    ManualClock clock = new ManualClock();
    IdleTimeout idle = new IdleTimeout(clock);
    idle.handshakeDeadline(Duration.ZERO);
    assertFalse(idle.isOn());
    idle.handshakeDeadline(Duration.ofMillis(100));
    assertTrue(idle.isOn());
    assertEquals(100, idle.millisUntilExpiry());
    idle.handshakeDone();
    assertFalse(idle.isOn());
    assertEquals(IdleTimeout.OFF, idle.millisUntilExpiry());
    assertThrows(IllegalArgumentException.class, () -> idle.handshakeDeadline(Duration.ofMillis(-1)));
  }

  @Test
  void shouldOpenPeerEnvelopeWhenRolesAreOpposite() {
    byte[] hash = new byte[64];
    hash[0] = 9;
    UnorderedBox initiator = new UnorderedBox(hash, true, new byte[8]);
    UnorderedBox responder = new UnorderedBox(hash, false, new byte[] {(byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0});
    byte[] first = initiator.seal(new byte[] {1, 2});
    assertEquals(8 + 16 + 2, first.length);
    assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, Arrays.copyOf(first, 8));
    assertArrayEquals(new byte[] {1, 2}, responder.open(first));
    byte[] carried = responder.seal(new byte[0]);
    assertArrayEquals(new byte[] {0, 0, 1, 0, 0, 0, 0, 0}, Arrays.copyOf(carried, 8));
    assertArrayEquals(new byte[0], initiator.open(carried));
    assertNull(initiator.open(first));
    assertNull(responder.open(new byte[23]));
    byte[] forged = first.clone();
    forged[20] ^= 1;
    assertNull(responder.open(forged));
    assertNotEquals(first[0], initiator.seal(new byte[0])[0]);
  }
}
