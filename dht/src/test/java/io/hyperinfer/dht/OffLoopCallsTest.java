package io.hyperinfer.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.dht.HandOverLoop.Mode;
import io.hyperinfer.dht.sim.SimNetwork;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The facade called from outside the node's loop, as every caller of a UDX node is: each call hops onto the loop,
 * and when the loop is busy, interrupted or gone the call answers what a closed node answers instead of throwing or
 * hanging. The loop is {@link HandOverLoop}, so each case happens on purpose rather than when a race allows.
 */
class OffLoopCallsTest {
  private static final HostPort PEER = new HostPort("10.9.9.9", 49737);
  private final HandOverLoop loop = new HandOverLoop(new SimNetwork(5).runtime());
  private final DhtNode node = DhtNode.create(loop, NodeOptions.DEFAULT);

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void shouldRunAReadOnTheLoopWhenCalledFromAnotherThread() {
    List<String> events = networkChanges();

    assertFalse(node.inLoop());
    assertEquals(0, node.tableSize());
    node.networkChanged();

    assertEquals(List.of("change, on loop true"), events, "the listener ran on the loop the call handed over to");
  }

  @Test
  void shouldAnswerAsAClosedNodeWhenTheLoopHasStopped() {
    loop.mode(Mode.STOPPED);

    assertEquals(0, node.tableSize());
    assertEquals(List.of(), node.nodes(10));
    assertEquals(List.of(), node.closestNodes(new byte[32], 20));
    CompletableFuture<Response> ping = node.ping(PEER);

    DhtException e = (DhtException) assertThrows(CompletionException.class, ping::join).getCause();
    assertEquals(DhtException.Code.NODE_DESTROYED, e.code());
  }

  @Test
  void shouldDestroyFailingWhatIsInFlightAndIgnoreANetworkChangeWhenTheLoopHasStopped() {
    CompletableFuture<Response> ping = node.ping(PEER);
    loop.mode(Mode.STOPPED);

    CompletableFuture<Void> destroyed = node.destroy();
    node.networkChanged();

    assertTrue(destroyed.isDone() && !destroyed.isCompletedExceptionally(), "destroy completes");
    assertTrue(node.destroyed());
    DhtException e = (DhtException) assertThrows(CompletionException.class, ping::join).getCause();
    assertEquals(DhtException.Code.REQUEST_DESTROYED, e.code(), "the request in flight is failed, not left waiting");
  }

  @Test
  void shouldRunAHandedOverTaskOnTheCallerAndCountItsFailureWhenTheLoopHasStopped() {
    loop.mode(Mode.STOPPED);
    List<String> ran = new ArrayList<>();

    node.execute(() -> ran.add("released"));
    node.execute(() -> {
      throw new IllegalStateException("a task that fails");
    });

    assertEquals(List.of("released"), ran, "the task ran, on the caller, instead of being thrown at it");
    assertEquals(1, node.stats().loopErrors());
  }

  @Test
  void shouldFailTheRequestsOfADestroyedSessionWhenTheLoopStoppedUnderThem() {
    Session session = node.session();
    CompletableFuture<Response> ping = node.ping(PEER, RequestOptions.DEFAULT.withSession(session));
    loop.mode(Mode.STOPPED);

    session.destroy();

    DhtException e = (DhtException) assertThrows(CompletionException.class, ping::join).getCause();
    assertEquals(DhtException.Code.REQUEST_DESTROYED, e.code());
  }

  @Test
  void shouldNotTellListenersOfANetworkChangeOnceDestroyed() {
    List<String> events = networkChanges();
    node.destroy().join();

    node.networkChanged();

    assertEquals(List.of(), events);
    assertTrue(node.destroyed());
  }

  @Test
  void shouldAnswerEmptyAndKeepTheInterruptWhenInterruptedWaitingForABusyLoop() {
    loop.mode(Mode.HOLD);
    Thread.currentThread().interrupt();

    int size = node.tableSize();

    assertEquals(0, size);
    assertTrue(Thread.interrupted(), "the caller's interrupt is kept for it to see");
    assertEquals(1, loop.held(), "the read still waits for the loop");
  }

  @Test
  void shouldReturnFromCloseAndKeepTheInterruptWhenInterruptedWaitingForABusyLoop() {
    loop.mode(Mode.HOLD);
    Thread.currentThread().interrupt();

    node.close();

    assertTrue(Thread.interrupted(), "the caller's interrupt is kept for it to see");
    assertFalse(node.destroyed(), "the destroy waits for the loop");
    assertEquals(0, loop.closes());
    loop.runHeld();
    assertTrue(node.destroyed());
    assertEquals(1, loop.closes(), "the loop closes the runtime once it runs the destroy");
  }

  /** What the node's listeners hear of network changes, and whether on the loop. */
  private List<String> networkChanges() {
    List<String> events = new ArrayList<>();
    node.addListener(new NodeListener() {
      @Override
      public void onNetworkChange() {
        events.add("change, on loop " + node.inLoop());
      }
    });
    return events;
  }
}
