package io.hyperinfer.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.junit.jupiter.api.Test;

/** Ephemeral, persistent, adaptive and bootstrapper nodes; the firewall checks; NAT samples; wake-up. */
class ModesTest {
  private static final long MINUTE = 60_000;

  private static final class Events implements NodeListener {
    final List<String> seen = new ArrayList<>();

    @Override
    public void onReady() {
      seen.add("ready");
    }

    @Override
    public void onPersistent() {
      seen.add("persistent");
    }

    @Override
    public void onEphemeral() {
      seen.add("ephemeral");
    }

    @Override
    public void onWakeup() {
      seen.add("wakeup");
    }

    @Override
    public void onNatUpdate(String host, int port) {
      seen.add("nat " + host + ":" + port);
    }
  }

  @Test
  void shouldGiveABootstrapperAnIdFromTheStart() {
    SimNetwork net = new SimNetwork(61);
    SimRuntime rt = net.runtime();
    DhtNode boot = DhtNode.bootstrapper(rt, NodeOptions.DEFAULT);
    net.await(boot.ready(), 1000);
    assertFalse(boot.ephemeral());
    assertFalse(boot.firewalled());
    assertArrayEquals(NodeId.of(rt.serverSocket().localAddress()), boot.id());
    assertEquals(boot.localAddress(), boot.remoteAddress());
    assertEquals(boot.serverSocket(), boot.socket());
  }

  @Test
  void shouldRefuseABootstrapperWithoutAConcreteAddress() {
    SimNetwork net = new SimNetwork(62);
    assertThrows(DhtException.class, () -> DhtNode.bootstrapper(net.runtime("0.0.0.0", 5000), NodeOptions.DEFAULT));
  }

  @Test
  void shouldBecomePersistentAtBootstrapWhenReachableThroughPingNat() {
    SimNetwork net = new SimNetwork(63);
    SimTestnet t = SimTestnet.create(net, 8);
    Events events = new Events();
    SimRuntime rt = net.runtime();
    DhtNode node = DhtNode.create(rt, NodeOptions.DEFAULT.withMode(NodeOptions.Mode.PERSISTENT)
        .withBootstrap(t.bootstrap()));
    node.addListener(events);
    net.await(node.ready(), 60_000);
    HostPort self = rt.serverSocket().localAddress();
    assertFalse(node.ephemeral());
    assertFalse(node.firewalled());
    assertArrayEquals(NodeId.of(self), node.id());
    assertEquals(self.host(), node.host());
    assertEquals(self.port(), node.port());
    assertFalse(node.randomized());
    assertEquals(self, node.remoteAddress());
    assertTrue(events.seen.indexOf("persistent") < events.seen.indexOf("ready"), events.seen.toString());
    net.runFor(2 * MINUTE);
    long holders = t.nodes().stream().filter(n -> n.nodes(100).stream().anyMatch(p -> p.sameAddress(self))).count();
    assertTrue(holders >= 4, "other tables learn it: " + holders);
  }

  @Test
  void shouldStayEphemeralAndFirewalledBehindAFirewall() {
    SimNetwork net = new SimNetwork(64);
    SimTestnet t = SimTestnet.create(net, 8);
    DhtNode node = t.add(net.runtime().firewalled(true), o -> o);
    assertTrue(node.ephemeral());
    assertTrue(node.firewalled());
    assertNull(node.id());
    assertNull(node.remoteAddress());
    assertEquals(node.clientSocket(), node.socket());
    assertNotNull(node.host(), "it still knows its address from replies");
    QueryResult<Response> r = net.await(node.findNode(new byte[32]).finished(), 60_000);
    assertFalse(r.closestReplies().isEmpty(), "a firewalled client still queries");
  }

  @Test
  void shouldStayEphemeralWhenForcedPersistentWithoutAnyNatSample() {
    SimNetwork net = new SimNetwork(65);
    DhtNode alone = DhtNode.create(net.runtime(), NodeOptions.DEFAULT.withMode(NodeOptions.Mode.PERSISTENT));
    net.await(alone.ready(), 10_000);
    assertTrue(alone.ephemeral(), "dht-rpc#34: no samples, no id");
    assertNull(alone.host());
  }

  @Test
  void shouldClearFirewalledButStayEphemeralAfterTheQuickCheck() {
    SimNetwork net = new SimNetwork(66).latency(1, 1);
    SimTestnet t = SimTestnet.create(net, 12);
    DhtNode node = t.add(o -> o.withMode(NodeOptions.Mode.ADAPTIVE));
    assertFalse(node.firewalled(), "the PING_NAT pong came back before the bootstrap walk ended");
    assertTrue(node.ephemeral());
    assertNull(node.id());
    DhtNode noQuick = t.add(o -> o.withMode(NodeOptions.Mode.ADAPTIVE).withQuickFirewall(false));
    assertTrue(noQuick.firewalled());
  }

  @Test
  void shouldBecomePersistentAfterTwentyStableMinutesWhenAdaptiveAndFallBackOnWakeup() {
    SimNetwork net = new SimNetwork(67);
    SimTestnet t = SimTestnet.create(net, 8);
    SimRuntime rt = net.runtime();
    DhtNode node = DhtNode.create(rt, NodeOptions.DEFAULT.withMode(NodeOptions.Mode.ADAPTIVE)
        .withQuickFirewall(false).withBootstrap(t.bootstrap()));
    node.addListener(new NodeListener() {}); // every event reaches the defaults too
    net.await(node.ready(), 30_000);
    Events events = new Events();
    node.addListener(events);
    assertTrue(node.ephemeral());
    net.runFor(15 * MINUTE);
    assertTrue(node.ephemeral(), "not before ~240 ticks");
    assertTrue(net.runFor(() -> !node.ephemeral(), 10 * MINUTE));
    assertArrayEquals(NodeId.of(node.localAddress()), node.id());
    assertTrue(events.seen.contains("persistent"));
    rt.sleepWallClock(20_000);
    net.runFor(6000);
    assertTrue(node.ephemeral(), "an adaptive node goes back to ephemeral after a wake-up");
    assertEquals(List.of("persistent", "ephemeral", "wakeup"),
        events.seen.stream().filter(e -> !e.startsWith("nat")).toList());
    HostPort self = node.localAddress();
    assertTrue(net.runFor(() -> t.nodes().stream().noneMatch(n -> n.nodes(100).stream()
        .anyMatch(p -> p.sameAddress(self))), 15 * MINUTE), "answering without an id, it leaves their tables");
  }

  @Test
  void shouldNotRecheckTheSameNetworkWhenAdaptiveAndFirewalled() {
    SimNetwork net = new SimNetwork(68);
    SimTestnet t = SimTestnet.create(net, 6);
    DhtNode node = t.add(net.runtime().firewalled(true), o -> o.withMode(NodeOptions.Mode.ADAPTIVE));
    net.runFor(90 * MINUTE); // checked at ~20 min; the same host is not re-checked for another hour
    assertTrue(node.ephemeral());
    assertTrue(node.firewalled());
  }

  @Test
  void shouldWakeUpAfterATickGapAndLookOld() {
    SimNetwork net = new SimNetwork(69);
    SimTestnet t = SimTestnet.create(net, 5);
    DhtNode node = t.nodes().get(2);
    Events events = new Events();
    node.addListener(events);
    ((SimRuntime) node.runtime()).sleepWallClock(16_000);
    net.runFor(5100);
    assertEquals(List.of("wakeup"), events.seen);
    assertFalse(node.ephemeral(), "only adaptive nodes fall back");
    long before = node.stats().requestsTotal();
    net.runFor(15_000);
    assertTrue(node.stats().requestsTotal() > before, "a ping sweep and a refresh follow the wake-up");
  }

  @Test
  void shouldKeepVetoedNodesOutOfTheTable() {
    SimNetwork net = new SimNetwork(70);
    SimTestnet t = SimTestnet.create(net, 6);
    HostPort banned = t.nodes().get(3).localAddress();
    DhtNode picky = t.add(o -> o.withFilterNode(p -> !p.sameAddress(banned)));
    assertTrue(picky.nodes(100).stream().noneMatch(p -> p.sameAddress(banned)));
    assertEquals(t.nodes().size() - 2, picky.nodes(100).size());
  }

  @Test
  void shouldJoinThroughInitialTableNodesWithoutBootstrapList() {
    SimNetwork net = new SimNetwork(72);
    SimTestnet t = SimTestnet.create(net, 6);
    DhtNode seeded = DhtNode.create(net.runtime(), NodeOptions.DEFAULT.withMode(NodeOptions.Mode.PERSISTENT)
        .withNodes(List.of(t.nodes().get(4).localAddress())));
    net.await(seeded.ready(), 30_000);
    assertFalse(seeded.ephemeral());
    assertEquals(t.nodes().size(), seeded.tableSize(), "the walk from the one seed found every node");
  }

  @Test
  void shouldSampleTheNatFromBootstrapNodesWithoutIds() {
    SimNetwork net = new SimNetwork(71);
    DhtNode eph = DhtNode.create(net.runtime(), NodeOptions.DEFAULT.withMode(NodeOptions.Mode.EPHEMERAL));
    net.await(eph.ready(), 5000);
    SimRuntime rt = net.runtime();
    DhtNode joiner = DhtNode.create(rt, NodeOptions.DEFAULT.withBootstrap(List.of(eph.localAddress())));
    Events events = new Events();
    joiner.addListener(events);
    net.await(joiner.ready(), 10_000);
    assertEquals(rt.clientSocket().localAddress().host(), joiner.host());
    assertEquals(rt.clientSocket().localAddress().port(), joiner.port(), "seen from its client socket");
    assertNull(joiner.remoteAddress(), "firewalled");
    assertTrue(events.seen.contains("nat " + joiner.host() + ":" + joiner.port()));
  }
}
