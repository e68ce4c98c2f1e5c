package io.hyperinfer.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.dht.sim.SimNetwork;
import io.hyperinfer.dht.sim.SimRuntime;
import io.hyperinfer.dht.sim.SimTestnet;
import io.hyperinfer.dht.wire.NodeId;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Options, records and the facade's small contracts. */
class ApiTest {
  private static final HostPort A = new HostPort("10.0.0.1", 49737);

  @Test
  void shouldParseNodeListsAndRejectBadOnes() {
    assertEquals(List.of(new HostPort("127.0.0.1", 49737), A), NodeOptions.parseNodes("127.0.0.1:49737", "10.0.0.1:49737"));
    assertEquals(DhtException.Code.BAD_ARGUMENT,
        assertThrows(DhtException.class, () -> NodeOptions.parseNodes("127.0.0.1")).code());
    assertThrows(DhtException.class, () -> NodeOptions.parseNodes("127.0.0.1:port"));
    assertThrows(DhtException.class, () -> NodeOptions.parseNodes("127.0.0.1:70000"));
    assertThrows(DhtException.class, () -> NodeOptions.DEFAULT.withConcurrency(0));
  }

  @Test
  void shouldCopyOptionsWithOneFieldChanged() {
    NodeOptions o = NodeOptions.DEFAULT.withConcurrency(3).withMaxWindow(9).withMaxPingDelayMs(5).withDownHints(false, 7)
        .withQuickFirewall(false).withFirewalled(false).withFilterNode(p -> true).withNodes(List.of(A))
        .withBootstrap(List.of(A)).withMode(NodeOptions.Mode.EPHEMERAL);
    assertEquals(List.of(3, 9, 5L, false, 7, false, false, List.of(A), List.of(A), NodeOptions.Mode.EPHEMERAL),
        List.of(o.concurrency(), o.maxWindow(), o.maxPingDelayMs(), o.sendDownHints(), o.downHintsRateLimit(),
            o.quickFirewall(), o.firewalled(), o.nodes(), o.bootstrap(), o.mode()));
    Session s = () -> {};
    QueryOptions q = QueryOptions.DEFAULT.withRetries(2).withSession(s).withConcurrency(4).withForce(true);
    assertEquals(2, q.retries());
    assertEquals(s, q.session());
    assertThrows(IllegalArgumentException.class, () -> QueryOptions.DEFAULT.withRetries(-2));
    assertThrows(IllegalArgumentException.class, () -> RequestOptions.DEFAULT.withTimeoutMs(-1));
    assertThrows(IllegalArgumentException.class, () -> new QueryRequest(new byte[31], 1, null));
    assertThrows(IllegalArgumentException.class, () -> new QueryRequest(new byte[32], -1, null));
    assertEquals(ReplyOptions.REPLY, ReplyOptions.BARE.withToken(true).withCloserNodes(true));
  }

  @Test
  void shouldCompareAndPrintPeers() {
    Peer withId = Peer.withDerivedId(A);
    assertArrayEquals(NodeId.of(A), withId.id());
    assertEquals(withId, Peer.withDerivedId(A));
    assertEquals(withId.hashCode(), Peer.withDerivedId(A).hashCode());
    assertNotEquals(withId, Peer.of(A));
    assertEquals("10.0.0.1:49737", Peer.of(A).toString());
    assertTrue(withId.toString().startsWith("10.0.0.1:49737/"));
    assertTrue(withId.sameAddress(A));
    assertFalse(withId.sameAddress(new HostPort("10.0.0.1", 1)));
    assertThrows(IllegalArgumentException.class, () -> new Peer("1.2.3.4", 70000, null));
    assertThrows(IllegalArgumentException.class, () -> new Peer("1.2.3.4", 1, new byte[3]));
    assertEquals("DhtException[REQUEST_TIMEOUT]: Request timed out", DhtException.requestTimeout().toString());
  }

  @Test
  void shouldRunTimersAndTasksOnTheLoopOnly() throws Exception {
    SimNetwork net = new SimNetwork(81);
    DhtNode node = SimTestnet.create(net, 2).nodes().get(1);
    List<Long> fired = new ArrayList<>();
    long start = node.nowMs();
    node.schedule(300, () -> fired.add(node.nowMs() - start));
    LoopTimer cancelled = node.schedule(200, () -> fired.add(-1L));
    cancelled.cancel();
    net.runFor(1000);
    assertEquals(List.of(300L), fired);
    CompletableFuture<Throwable> offLoop = CompletableFuture.supplyAsync(() -> {
      try {
        node.schedule(1, () -> {});
        return null;
      } catch (IllegalStateException e) {
        return e;
      }
    });
    assertTrue(offLoop.get() instanceof IllegalStateException);
    node.execute(() -> {
      throw new IllegalStateException("a bad task");
    });
    assertEquals(1, node.stats().loopErrors());
    assertThrows(DhtException.class, () -> node.findNode(new byte[3]));
    assertTrue(node.inLoop());
  }

  @Test
  void shouldReportStateAndStopTellingRemovedListeners() {
    SimNetwork net = new SimNetwork(82);
    SimTestnet t = SimTestnet.create(net, 4);
    DhtNode node = t.nodes().get(2);
    assertTrue(node.bootstrapped());
    assertEquals(node.localAddress().port(), node.port());
    assertFalse(node.randomized());
    assertTrue(node.toString().contains("persistent"));
    assertTrue(t.nodes().get(0).toString().startsWith("DhtNode[HostPort"));
    AtomicInteger added = new AtomicInteger();
    NodeListener counting = new NodeListener() {
      @Override
      public void onAddNode(Peer p) {
        added.incrementAndGet();
      }
    };
    node.addListener(counting);
    node.addListener(new NodeListener() {}); // the defaults do nothing
    node.removeListener(counting);
    t.add(o -> o);
    assertEquals(0, added.get());
    long before = node.stats().queriesTotal();
    node.refresh();
    net.runFor(5000);
    assertEquals(before + 1, node.stats().queriesTotal());
  }

  @Test
  void shouldCountMapsThatThrowAndStillFinishTheQuery() {
    SimNetwork net = new SimNetwork(83);
    SimTestnet t = SimTestnet.create(net, 6);
    DhtNode node = t.nodes().get(1);
    QueryResult<Object> r = net.await(node.findNode(new byte[32], QueryOptions.DEFAULT, m -> {
      throw new IllegalStateException("bad map");
    }, null).finished(), 30_000);
    assertTrue(r.replies().isEmpty());
    assertEquals(5, r.closestReplies().size());
    assertTrue(node.stats().handlerErrors() >= 5);
    QueryResult<Response> again = net.await(node.findNode(new byte[32]).finished(), 30_000);
    Query<Response> finished = node.findNode(new byte[32]);
    net.await(finished.finished(), 30_000);
    finished.destroy(); // after the end: nothing changes
    net.runFor(10);
    assertEquals(again.closestNodes(), finished.finished().join().closestNodes());
  }

  @Test
  void shouldCountDatagramsThatCannotBeSent() {
    SimNetwork net = new SimNetwork(84);
    DhtNode node = SimTestnet.create(net, 2).nodes().get(1);
    CompletableFuture<Response> f = node.ping(new HostPort("10.0.0.1", 0), RequestOptions.DEFAULT.withRetry(false));
    net.runFor(f::isDone, 2000);
    assertTrue(f.isCompletedExceptionally());
    assertEquals(1, node.stats().sendErrors());
  }

  @Test
  void shouldDropDelayedPingsBeyondTheCap() {
    SimNetwork net = new SimNetwork(85);
    DhtNode node = SimTestnet.create(net, 2).nodes().get(1);
    RawPeer peer = new RawPeer(net);
    for (int i = 0; i < 1030; i++) {
      peer.request(node.localAddress(), true, Commands.DELAYED_PING, null, new byte[] {(byte) 0x88, 0x13, 0, 0}, null);
    }
    net.runFor(6000);
    assertEquals(6, node.stats().droppedDelayedPings());
    assertEquals(1024, peer.received.size());
  }

  @Test
  void shouldRefreshALoneNodeOnItsPingSweep() {
    SimNetwork net = new SimNetwork(87);
    DhtNode alone = SimTestnet.create(net, 1).bootstrapper();
    long before = alone.stats().queriesTotal();
    net.runFor(45_000);
    assertTrue(alone.stats().queriesTotal() > before, "no node to ping: a refresh instead");
    assertArrayEquals(alone.id(), alone.tableId());
  }

  @Test
  void shouldCountListenersThatThrow() {
    SimNetwork net = new SimNetwork(88);
    SimTestnet t = SimTestnet.create(net, 2);
    DhtNode node = t.nodes().get(1);
    node.addListener(new NodeListener() {
      @Override
      public void onAddNode(Peer p) {
        throw new IllegalStateException("bad listener");
      }
    });
    t.add(o -> o);
    assertTrue(node.stats().handlerErrors() >= 1);
    assertEquals(2, node.tableSize(), "the bootstrapper and the newcomer, added all the same");
  }

  @Test
  void shouldDropAnswersGivenAfterDestroy() {
    SimNetwork net = new SimNetwork(89);
    SimTestnet t = SimTestnet.create(net, 2);
    DhtNode node = t.nodes().get(1);
    List<IncomingRequest> held = new ArrayList<>();
    node.onRequest(req -> held.add(req));
    RawPeer peer = new RawPeer(net);
    int tid = peer.request(node.localAddress(), false, 5, null, null, null);
    net.runFor(50);
    node.destroy();
    held.getFirst().reply(null);
    held.getFirst().relay(null, peer.server());
    net.runFor(50);
    assertTrue(peer.responsesTo(tid, 10).isEmpty());
    assertTrue(peer.requests().isEmpty());
  }

  @Test
  void shouldIgnoreDatagramsAfterDestroy() {
    SimNetwork net = new SimNetwork(86);
    SimTestnet t = SimTestnet.create(net, 2);
    DhtNode node = t.nodes().get(1);
    node.destroy();
    net.runFor(10);
    long malformed = node.stats().malformed();
    node.onMessage(node.serverSocket(), new byte[] {9, 9, 9}, A);
    assertEquals(malformed, node.stats().malformed());
    assertNull(((SimRuntime) node.runtime()).network().runFor(() -> false, 10) ? "ran" : null);
  }
}
