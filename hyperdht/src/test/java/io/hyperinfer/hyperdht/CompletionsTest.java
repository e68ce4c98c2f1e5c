package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.DhtNode;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Failures on the way to and from a node's loop, and the edges of the small value helpers around it. */
class CompletionsTest {
  private final Completions completions = new Completions(Runnable::run);

  @Test
  void shouldFailTheFutureWhenTheTaskThrowsOnTheLoop() {
    SimNet net = new SimNet(41, 2);
    DhtNode node = net.testnet.createNode().node();
    IllegalStateException thrown = new IllegalStateException("task broke");
    CompletableFuture<Object> f = completions.callOnLoop(node, () -> {
      throw thrown;
    });
    assertSame(thrown, net.failure(f));
  }

  @Test
  void shouldRefuseConnectionsServersAndRelaysWhenTheNodeIsNotOnUdx() {
    SimNet net = new SimNet(43, 2);
    HyperDht dht = net.testnet.createNode();
    assertEquals(DhtException.Code.BAD_ARGUMENT,
        assertThrows(DhtException.class, () -> dht.connect(new byte[32])).code());
    assertEquals(DhtException.Code.BAD_ARGUMENT,
        assertThrows(DhtException.class, () -> new BlindRelayServer(dht)).code());
  }

  @Test
  void shouldNameTheFourNatClassesAndShowAnyOtherAsItsNumber() {
    assertEquals("UNKNOWN", Firewall.name(Firewall.UNKNOWN));
    assertEquals("OPEN", Firewall.name(Firewall.OPEN));
    assertEquals("CONSISTENT", Firewall.name(Firewall.CONSISTENT));
    assertEquals("RANDOM", Firewall.name(Firewall.RANDOM));
    assertEquals("7", Firewall.name(7));
    assertEquals(Long.toUnsignedString(-1), Firewall.name(-1));
  }
}
