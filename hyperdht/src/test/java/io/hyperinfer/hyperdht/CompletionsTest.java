package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void shouldRethrowTheReadsOwnFailureWhenAReadFromAnotherThreadFailsOnTheLoop() {
    SimNet net = new SimNet(45, 2);
    DhtNode node = net.testnet.createNode().node();
    IllegalStateException thrown = new IllegalStateException("read broke");
    CompletableFuture<Throwable> caught = offLoop(() -> completions.onLoop(node, () -> {
      throw thrown;
    }));

    while (!caught.isDone()) {
      net.network.runFor(caught::isDone, 1_000); // the loop runs the hop the reader hands over, whenever it comes
    }

    assertSame(thrown, caught.join(), "the caller gets the read's own exception, not a wrapper");
  }

  @Test
  void shouldFailNodeDestroyedAndKeepTheInterruptWhenAReaderIsInterruptedWaitingForTheLoop() {
    SimNet net = new SimNet(47, 2);
    DhtNode node = net.testnet.createNode().node();
    CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
    CompletableFuture<Throwable> caught = offLoop(() -> {
      Thread.currentThread().interrupt(); // nobody runs the loop for this thread: only the interrupt ends its wait
      try {
        completions.onLoop(node, () -> 1);
      } finally {
        stillInterrupted.complete(Thread.currentThread().isInterrupted());
      }
    });

    assertEquals(DhtException.Code.NODE_DESTROYED, ((DhtException) caught.join()).code());
    assertTrue(stillInterrupted.join(), "the reader's interrupt is kept for it to see");
  }

  /** Runs {@code read} on a thread other than the network's, and completes with what it threw (null: nothing). */
  private static CompletableFuture<Throwable> offLoop(Runnable read) {
    CompletableFuture<Throwable> caught = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        read.run();
        caught.complete(null);
      } catch (RuntimeException e) {
        caught.complete(e);
      }
    });
    return caught;
  }
}
