package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.secretstream.ConnectionLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The server and connect options: JS's defaults, copies, and what they refuse. */
class ConnectionOptionsTest {
  @Test
  void shouldDefaultServersAsJsPlusOurBounds() {
    ServerOptions d = ServerOptions.DEFAULT;
    assertTrue(d.firewall().allow(new byte[32], null, null));
    assertTrue(d.shareLocalAddress());
    assertEquals(Duration.ofSeconds(5), d.keepAlive());
    assertEquals(Duration.ofSeconds(10), d.handshakeClearWait());
    assertEquals(Duration.ofSeconds(10), d.firstPacketWait());
    assertEquals(ConnectionLimiter.Limits.DEFAULT, d.limits());
    assertEquals(4096, d.maxSettledHandshakes());
    assertEquals(Duration.ofSeconds(5), d.relayLinger());
  }

  @Test
  void shouldCopyServerOptionsOneFieldAtATime() {
    ConnectionFirewall none = (k, p, a) -> false;
    ConnectionLimiter.Limits small = new ConnectionLimiter.Limits(4, 2, 2, 1);
    ServerOptions o = ServerOptions.DEFAULT.withFirewall(none).withShareLocalAddress(false)
        .withKeepAlive(Duration.ZERO).withHandshakeClearWait(Duration.ofSeconds(1))
        .withFirstPacketWait(Duration.ofSeconds(2)).withLimits(small).withMaxSettledHandshakes(9)
        .withRelayLinger(Duration.ZERO).withBirthdaySockets(16);
    assertSame(none, o.firewall());
    assertFalse(o.shareLocalAddress());
    assertEquals(Duration.ZERO, o.keepAlive());
    assertEquals(Duration.ofSeconds(1), o.handshakeClearWait());
    assertEquals(Duration.ofSeconds(2), o.firstPacketWait());
    assertSame(small, o.limits());
    assertEquals(9, o.maxSettledHandshakes());
    assertEquals(Duration.ZERO, o.relayLinger());
    assertEquals(16, o.birthdaySockets());
  }

  @Test
  void shouldRefuseServerOptionsThatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> ServerOptions.DEFAULT.withFirewall(null));
    assertThrows(IllegalArgumentException.class, () -> ServerOptions.DEFAULT.withKeepAlive(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> ServerOptions.DEFAULT.withFirstPacketWait(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> ServerOptions.DEFAULT.withLimits(null));
    assertThrows(IllegalArgumentException.class, () -> ServerOptions.DEFAULT.withMaxSettledHandshakes(0));
    assertThrows(IllegalArgumentException.class, () -> ServerOptions.DEFAULT.withRelayLinger(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> ServerOptions.DEFAULT.withRelayLinger(null));
    assertThrows(IllegalArgumentException.class, () -> ServerOptions.DEFAULT.withBirthdaySockets(0));
  }

  @Test
  void shouldDefaultConnectsAsJsPlusADeadline() {
    ConnectOptions d = ConnectOptions.DEFAULT;
    assertEquals(null, d.keyPair());
    assertEquals(List.of(), d.relayAddresses());
    assertTrue(d.localConnection());
    assertEquals(Duration.ofSeconds(20), d.timeout());
    assertEquals(Duration.ofSeconds(5), d.keepAlive());
    assertEquals(null, d.traceSink());
    assertEquals(Duration.ofSeconds(1), d.handshakeTimeout(), "dht-rpc's request timeout");
    assertEquals(Duration.ofSeconds(5), d.relayLinger());
  }

  @Test
  void shouldCopyConnectOptionsAndTheirRelayList() {
    KeyPair keys = HyperDhtCrypto.keyPair();
    List<HostPort> relays = new ArrayList<>(List.of(new HostPort("127.0.0.1", 1)));
    Consumer<ConnectTrace> sink = t -> {};
    ConnectOptions o = ConnectOptions.DEFAULT.withKeyPair(keys).withRelayAddresses(relays).withLocalConnection(false)
        .withTimeout(Duration.ofSeconds(3)).withKeepAlive(Duration.ZERO).withTraceSink(sink)
        .withHandshakeTimeout(Duration.ofMillis(200)).withRelayLinger(Duration.ofMillis(300)).withBirthdaySockets(32);
    relays.clear();
    assertSame(keys, o.keyPair());
    assertEquals(List.of(new HostPort("127.0.0.1", 1)), o.relayAddresses(), "the list was copied");
    assertFalse(o.localConnection());
    assertEquals(Duration.ofSeconds(3), o.timeout());
    assertEquals(Duration.ZERO, o.keepAlive());
    assertSame(sink, o.traceSink());
    assertEquals(Duration.ofMillis(200), o.handshakeTimeout());
    assertEquals(Duration.ofMillis(300), o.relayLinger());
    assertEquals(32, o.birthdaySockets());
    assertThrows(IllegalArgumentException.class, () -> ConnectOptions.DEFAULT.withBirthdaySockets(0));
    assertThrows(IllegalArgumentException.class, () -> ConnectOptions.DEFAULT.withTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> ConnectOptions.DEFAULT.withRelayAddresses(null));
    assertThrows(IllegalArgumentException.class, () -> ConnectOptions.DEFAULT.withKeepAlive(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class,
        () -> ConnectOptions.DEFAULT.withHandshakeTimeout(Duration.ofNanos(999_999)), "under a millisecond");
    assertThrows(IllegalArgumentException.class, () -> ConnectOptions.DEFAULT.withHandshakeTimeout(null));
    assertThrows(IllegalArgumentException.class, () -> ConnectOptions.DEFAULT.withRelayLinger(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> ConnectOptions.DEFAULT.withRelayLinger(null));
  }

  @Test
  void shouldRunHandlersOnTheirOwnThreadUnlessMadeForTheLoop() {
    List<HyperDhtConnection> got = new ArrayList<>();
    ConnectionHandler plain = got::add;
    ConnectionHandler onLoop = ConnectionHandler.onLoop(plain);
    assertTrue(plain.mayBlock());
    assertFalse(onLoop.mayBlock());
    onLoop.onConnection(null);
    assertEquals(1, got.size(), "the loop handler calls the one it wraps");
  }
}
