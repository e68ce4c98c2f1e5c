package io.hyperinfer.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.dht.sim.SimNetwork;
import io.hyperinfer.dht.sim.SimRuntime;
import io.hyperinfer.dht.sim.SimTestnet;
import io.hyperinfer.dht.wire.NodeId;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Routing-table upkeep (dht-rpc index.js): ping sweeps, DOWN_HINT, ping-and-swap, refresh, health. */
class TableUpkeepTest {
  private static boolean holds(DhtNode n, HostPort address) {
    return n.nodes(1000).stream().anyMatch(p -> p.sameAddress(address));
  }

  /** The row of {@code id} in a table around {@code self}: the first differing bit. */
  private static int row(byte[] self, byte[] id) {
    for (int i = 0; i < 32; i++) {
      int x = (self[i] ^ id[i]) & 0xff;
      if (x != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
      }
    }
    return 255;
  }

  @Test
  void shouldDropAKilledNodeFromEveryTableThroughUpkeepAlone() {
    SimNetwork net = new SimNetwork(51);
    SimTestnet t = SimTestnet.create(net, 30);
    DhtNode victim = t.nodes().get(12);
    HostPort address = victim.localAddress();
    List<DhtNode> alive = t.nodes().stream().filter(n -> n != victim).toList();
    assertTrue(alive.stream().filter(n -> holds(n, address)).count() > 20);
    ((SimRuntime) victim.runtime()).kill();
    boolean gone = net.runFor(() -> alive.stream().noneMatch(n -> holds(n, address)), 15 * 60_000);
    assertTrue(gone, "still held by " + alive.stream().filter(n -> holds(n, address)).count());
  }

  @Test
  void shouldCheckAndDropAHintedNodeWhenItIsDown() {
    SimNetwork net = new SimNetwork(52);
    SimTestnet t = SimTestnet.create(net, 8);
    DhtNode holder = t.nodes().get(2);
    DhtNode victim = t.nodes().get(5);
    HostPort address = victim.localAddress();
    assertTrue(holds(holder, address));
    ((SimRuntime) victim.runtime()).kill();
    RawPeer hinter = new RawPeer(net);
    int tid = hinter.request(holder.localAddress(), true, Commands.DOWN_HINT, null,
        Compact.encode(HostPort.IPV4, address), null);
    assertEquals(1, hinter.responsesTo(tid, 100).size());
    assertTrue(net.runFor(() -> !holds(holder, address), 5000), "one check: four pings, then removed");
  }

  @Test
  void shouldHintReferrersOfANodeThatTimesOutInAQuery() {
    SimNetwork net = new SimNetwork(53);
    // fewer than 20 nodes with ids: the walk cannot end early, so it waits for the victim to time out
    SimTestnet t = SimTestnet.create(net, 12);
    DhtNode victim = t.nodes().get(9);
    HostPort address = victim.localAddress();
    List<DhtNode> holders = t.nodes().stream().filter(n -> n != victim && holds(n, address)).toList();
    ((SimRuntime) victim.runtime()).kill();
    DhtNode asker = t.add(o -> o.withMode(NodeOptions.Mode.EPHEMERAL));
    net.await(asker.findNode(victim.id()).finished(), 60_000);
    net.runFor(4500);
    long still = holders.stream().filter(n -> holds(n, address)).count();
    assertTrue(still < holders.size(), "referrers that got a DOWN_HINT checked and dropped it");
  }

  @Test
  void shouldSwapTheStalestNodeOfAFullRowForANewLiveOne() {
    SimNetwork net = new SimNetwork(54);
    DhtNode node = SimTestnet.create(net, 1).bootstrapper();
    byte[] self = node.id();
    List<HostPort> fakes = new ArrayList<>();
    for (int i = 1; fakes.size() < 20; i++) {
      HostPort fake = new HostPort("10.250." + (i >>> 8) + "." + (i & 0xff), 49737);
      if (row(self, NodeId.of(fake)) == 0) {
        node.addNode(fake);
        fakes.add(fake);
      }
    }
    net.runFor(5000);
    DhtNode newcomer;
    do {
      newcomer = DhtNode.bootstrapper(net.runtime(), NodeOptions.DEFAULT); // an id at once, no walk
      net.await(newcomer.ready(), 5000);
    } while (row(self, newcomer.id()) != 0);
    List<Peer> removed = new ArrayList<>();
    node.addListener(new NodeListener() {
      @Override
      public void onRemoveNode(Peer p) {
        removed.add(p);
      }
    });
    net.await(newcomer.ping(node.localAddress()), 5000);
    HostPort newcomerAddress = newcomer.localAddress();
    assertFalse(holds(node, newcomerAddress), "row 0 is full of fakes");
    assertTrue(net.runFor(() -> holds(node, newcomerAddress), 6000), "the stalest fake timed out and was swapped");
    // all fakes were added in one tick: the stalest is the first of the row, the lowest id
    HostPort lowest = fakes.stream().min((a, b) -> java.util.Arrays.compareUnsigned(NodeId.of(a), NodeId.of(b)))
        .orElseThrow();
    assertEquals(lowest, removed.getFirst().address());
    assertEquals(20, node.nodes(100).stream().filter(p -> row(self, p.id()) == 0).count());
  }

  @Test
  void shouldRefreshPeriodically() {
    SimNetwork net = new SimNetwork(55);
    SimTestnet t = SimTestnet.create(net, 10);
    DhtNode node = t.nodes().get(4);
    long before = node.stats().queriesTotal();
    net.runFor(6 * 60_000);
    assertTrue(node.stats().queriesTotal() > before, "a background walk within REFRESH_TICKS");
  }

  @Test
  void shouldGoOfflineDegradedAndOnlineWithTheTimeoutRate() {
    SimNetwork net = new SimNetwork(56).latency(1, 1);
    SimTestnet t = SimTestnet.create(net, 3);
    DhtNode node = t.nodes().get(1);
    List<String> events = new ArrayList<>();
    node.addListener(new NodeListener() {
      @Override
      public void onNetworkUpdate(boolean online, boolean degraded) {
        events.add(!online ? "offline" : degraded ? "degraded" : "online");
      }
    });
    HostPort live = t.bootstrapper().localAddress();
    HostPort dead = new HostPort("10.251.0.1", 49737);
    traffic(net, node, live, dead, 0, 6, 6);
    assertTrue(events.contains("offline"), "two ticks with timeouts and no response: " + events);
    traffic(net, node, live, dead, 2, 6, 6);
    assertEquals("degraded", events.getLast(), "four ticks with more than half timing out");
    assertTrue(node.online() && node.degraded());
    // as in JS (health.js), an evicted offline tick counts against the healthy ones, so once degraded after an
    // offline spell only going offline again clears it
    traffic(net, node, live, dead, 6, 0, 6);
    assertEquals("degraded", events.getLast());
    traffic(net, node, live, dead, 0, 6, 4);
    assertEquals("offline", events.getLast());
    traffic(net, node, live, dead, 6, 0, 3);
    assertEquals("online", events.getLast());
    assertTrue(node.online() && !node.degraded());
  }

  /** For {@code ticks} ticks: {@code ok} answered and {@code lost} unanswered single-send pings per tick. */
  private static void traffic(SimNetwork net, DhtNode node, HostPort live, HostPort dead, int ok, int lost,
      int ticks) {
    for (int i = 0; i < ticks; i++) {
      List<CompletableFuture<Response>> all = new ArrayList<>();
      for (int j = 0; j < ok; j++) {
        all.add(node.ping(live, RequestOptions.DEFAULT.withRetry(false)));
      }
      for (int j = 0; j < lost; j++) {
        all.add(node.ping(dead, RequestOptions.DEFAULT.withRetry(false)));
      }
      net.runFor(5000);
      assertTrue(all.stream().allMatch(CompletableFuture::isDone));
    }
  }
}
