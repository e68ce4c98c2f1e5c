package io.hyperinfer.secretstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.secretstream.ConnectionLimiter.Limits;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {
  private final List<String> evicted = new ArrayList<>();

  private ConnectionLimiter<String>.Admission admit(ConnectionLimiter<String> limiter, String source, String name) {
    return limiter.admit(source, () -> evicted.add(name)).orElseThrow(() -> new AssertionError(name + " refused"));
  }

  @Test
  void shouldRefuseSourceWhenItsHandshakesOrConnectionsAreAtCap() {
    ConnectionLimiter<String> limiter = new ConnectionLimiter<>(new Limits(100, 3, 50, 2));
    var a1 = admit(limiter, "a", "a1");
    admit(limiter, "a", "a2");
    assertTrue(limiter.admit("a", () -> {}).isEmpty(), "a holds two handshakes");
    a1.handshakeDone();
    admit(limiter, "a", "a3");
    assertTrue(limiter.admit("a", () -> {}).isEmpty(), "a holds three connections");
    admit(limiter, "b", "b1");
    assertEquals(new ConnectionLimiter.Stats(4, 3, 2, 4, 2, 0), limiter.stats());
    a1.close();
    a1.close();
    assertEquals(3, limiter.stats().connections());
    assertTrue(evicted.isEmpty());
  }

  @Test
  void shouldEvictOldestHandshakeOfBiggestHolderWhenHandshakeTableIsFull() {
    ConnectionLimiter<String> limiter = new ConnectionLimiter<>(new Limits(100, 10, 4, 3));
    admit(limiter, "flood1", "f1a");
    admit(limiter, "flood1", "f1b");
    admit(limiter, "flood2", "f2a");
    admit(limiter, "flood1", "f1c");
    admit(limiter, "newcomer", "n"); // flood1 holds three: its oldest goes
    assertEquals(List.of("f1a"), evicted);
    admit(limiter, "other", "o"); // flood1 still holds the most: two
    assertEquals(List.of("f1a", "f1b"), evicted);
    admit(limiter, "third", "t"); // all hold one: the oldest of them, flood2's, goes
    assertEquals(List.of("f1a", "f1b", "f2a"), evicted);
    ConnectionLimiter.Stats stats = limiter.stats();
    assertEquals(4, stats.handshakes());
    assertEquals(3, stats.evicted());
  }

  @Test
  void shouldRefuseRatherThanEvictWhenNewcomerHoldsAsManyAsAnyone() {
    ConnectionLimiter<String> limiter = new ConnectionLimiter<>(new Limits(100, 10, 2, 2));
    admit(limiter, "a", "a1");
    admit(limiter, "b", "b1");
    var b2 = limiter.admit("b", () -> evicted.add("b2"));
    assertTrue(b2.isEmpty(), "b holds one, as a does: nobody holds more than the newcomer");
    assertEquals(1, limiter.stats().refused());
  }

  @Test
  void shouldNeverEvictEstablishedConnectionsWhenConnectionTableIsFull() {
    ConnectionLimiter<String> limiter = new ConnectionLimiter<>(new Limits(2, 2, 2, 1));
    admit(limiter, "a", "a1").handshakeDone();
    var b1 = admit(limiter, "b", "b1");
    b1.handshakeDone();
    b1.handshakeDone();
    assertTrue(limiter.admit("c", () -> {}).isEmpty(), "both connections are established");
    b1.close();
    b1.handshakeDone(); // after close: nothing
    admit(limiter, "c", "c1");
    assertTrue(evicted.isEmpty());
    assertEquals(2, limiter.stats().sources());
  }

  @Test
  void shouldFreeEvictedSlotBeforeEvictionCallbackRuns() {
    ConnectionLimiter<String> limiter = new ConnectionLimiter<>(new Limits(2, 2, 2, 2));
    AtomicInteger seenConnections = new AtomicInteger(-1);
    limiter.admit("a", () -> seenConnections.set(limiter.stats().connections()));
    admit(limiter, "a", "a2");
    admit(limiter, "b", "b1");
    assertEquals(2, seenConnections.get(), "the callback runs outside the lock, after the swap");
  }

  @Test
  void shouldKeyIpv6SourcesByTheirSlash64WhenKeyingAddresses() throws Exception {
    assertEquals("127.0.0.1", ConnectionLimiter.addressKey(InetAddress.getByName("127.0.0.1")));
    String a = ConnectionLimiter.addressKey(InetAddress.getByName("2001:db8:1:2:aaaa::1"));
    String b = ConnectionLimiter.addressKey(InetAddress.getByName("2001:db8:1:2:bbbb::9"));
    String c = ConnectionLimiter.addressKey(InetAddress.getByName("2001:db8:1:3::1"));
    assertEquals(a, b);
    assertFalse(a.equals(c));
    assertEquals("v6:20010db800010002::/64", a);
  }

  @Test
  void shouldRefuseConstructionWhenLimitsAreInconsistent() {
    assertThrows(IllegalArgumentException.class, () -> new Limits(0, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Limits(10, 11, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Limits(10, 5, 11, 1));
    assertThrows(IllegalArgumentException.class, () -> new Limits(10, 5, 4, 5));
    assertThrows(IllegalArgumentException.class, () -> new Limits(10, 5, 6, 6));
    assertEquals(1024, Limits.DEFAULT.maxConnections());
    assertEquals(Limits.DEFAULT, new ConnectionLimiter<String>(Limits.DEFAULT).limits());
  }
}
