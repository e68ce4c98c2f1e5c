package io.hyperinfer.swarm;

import static io.hyperinfer.swarm.CoreHarness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.LookupResult;
import io.hyperinfer.hyperdht.wire.Peer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a network change does to the swarm's connections (JS {@code _handleNetworkChange}), the per-join peer limit
 * (JS {@code PeerDiscovery} {@code limit}) and the closest nodes kept for the unannounce (JS {@code _abort}).
 */
class SwarmNetworkChangeTest {
  private final byte[] topic = CoreHarness.topic(9);

  @Test
  void shouldSendKeepAliveOnEveryConnectionPendingOrOpenWhenTheNetworkChanges() {
    CoreHarness h = CoreHarness.foundRange(SwarmLimits.DEFAULT, topic, 2, 4);
    FakeLink opened = h.dials.get(0);
    FakeLink pending = h.dials.get(1);
    h.core.onClientOpened(opened, h.now);
    FakeLink served = new FakeLink(key(5), false);
    h.core.onServerConnection(served, h.now);

    assertTrue(h.core.networkChanged());
    assertEquals(List.of(1, 1, 1), List.of(opened.keepAlives, pending.keepAlives, served.keepAlives));
    assertEquals(1, h.core.stats().networkChanges());

    h.core.onServerClosed(served, h.now);
    assertTrue(h.core.networkChanged());
    assertEquals(1, served.keepAlives, "a closed connection is not probed");
    assertEquals(2, opened.keepAlives);
  }

  @Test
  void shouldIgnoreNetworkChangeWhenSuspendedOrDestroyed() {
    CoreHarness h = CoreHarness.foundRange(SwarmLimits.DEFAULT, topic, 2, 3);
    FakeLink dial = h.lastDial();
    h.core.suspend();
    assertFalse(h.core.networkChanged(), "a suspended swarm neither probes nor refreshes");
    h.core.resume(h.now);
    h.core.destroy();
    assertFalse(h.core.networkChanged());
    assertEquals(0, dial.keepAlives);
    assertEquals(0, h.core.stats().networkChanges());
  }

  @Test
  void shouldSendNothingWhenAConnectionHasNoOpenStream() {
    List<SwarmConnection> reported = new ArrayList<>();
    SwarmConnection c = new SwarmConnection(key(2), true, reported::add);
    c.sendKeepAlive(); // a dial in flight: no stream yet, nothing to send, nothing thrown
    c.destroy();
    c.sendKeepAlive();
    assertEquals(List.of(c), reported);
  }

  private static LookupResult reply(int... peers) {
    List<Peer> list = new ArrayList<>();
    for (int p : peers) {
      list.add(new Peer(key(p).bytes(), List.of()));
    }
    return new LookupResult(null, io.hyperinfer.dht.Peer.of(new HostPort("127.0.0.1", 40_000)), null, list, 0);
  }

  private static List<PeerKey> handedOver(List<LookupResult> replies, int limit) {
    List<PeerKey> out = new ArrayList<>();
    TopicDiscovery.handOver(replies, limit, p -> out.add(new PeerKey(p.publicKey())));
    return out;
  }

  @Test
  void shouldHandOverAtMostTheLimitCountingEveryEntryWhenALimitIsSet() {
    List<LookupResult> replies = List.of(reply(2, 3), reply(2, 4), reply(5));
    assertEquals(List.of(key(2), key(3), key(2), key(4), key(5)), handedOver(replies, TopicDiscovery.UNLIMITED));
    assertEquals(List.of(key(2), key(3), key(2)), handedOver(replies, 3),
        "as hyperswarm 4.17.2: a peer listed twice counts twice");
    assertEquals(List.of(key(2)), handedOver(replies, 1));
    assertTrue(handedOver(replies, 0).isEmpty(), "limit 0: the lookup runs, no peer is dialed");
  }

  @Test
  void shouldRefuseANegativeLimit() {
    SwarmException e = assertThrows(SwarmException.class, () -> Swarm.checkLimit(-1));
    assertEquals(SwarmException.Code.BAD_ARGUMENT, e.code());
    assertEquals(0, Swarm.checkLimit(0));
  }

  private static io.hyperinfer.dht.Peer node(int port, Integer idByte) {
    byte[] id = null;
    if (idByte != null) {
      id = new byte[32];
      java.util.Arrays.fill(id, (byte) (int) idByte);
    }
    return new io.hyperinfer.dht.Peer("127.0.0.1", port, id);
  }

  @Test
  void shouldAddOnlyNewerNodesWithUnlistedIdsWhenMergingClosestNodes() {
    List<io.hyperinfer.dht.Peer> older = List.of(node(1, 1), node(2, 2));
    List<io.hyperinfer.dht.Peer> newer = List.of(node(3, 2), node(4, 4), node(5, null));
    assertEquals(List.of(node(1, 1), node(2, 2), node(4, 4)), TopicDiscovery.merge(older, newer));
    assertSame(newer, TopicDiscovery.merge(List.of(), newer), "nothing known before: the newer list");
    assertSame(older, TopicDiscovery.merge(older, older), "no query finished meanwhile");
  }
}
