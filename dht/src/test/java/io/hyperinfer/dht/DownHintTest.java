package io.hyperinfer.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.dht.sim.SimNetwork;
import io.hyperinfer.dht.sim.SimTestnet;
import io.hyperinfer.dht.wire.RequestMessage;
import io.hyperinfer.dht.wire.ResponseMessage;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * DOWN_HINTs from a query (query.js {@code _downHint}): the nodes that referred a node that timed out are told, and
 * so is any node that refers it again later; the per-tick budget and the switch are honoured.
 */
class DownHintTest {
  private static final HostPort DEAD = new HostPort("10.253.0.1", 49737);

  /** Runs a one-at-a-time walk seeded with r1; r1 refers [r2, dead], r2 later refers [dead] again. */
  private static List<RawPeer> walk(UnaryOperator<NodeOptions> tune) {
    SimNetwork net = new SimNetwork(91).latency(1, 1);
    SimTestnet t = SimTestnet.create(net, 2);
    DhtNode node = t.add(o -> tune.apply(o.withMode(NodeOptions.Mode.EPHEMERAL)));
    RawPeer r1 = new RawPeer(net);
    RawPeer r2 = new RawPeer(net);
    Query<Response> q = node.findNode(new byte[32],
        QueryOptions.DEFAULT.withNodes(List.of(r1.server())).withConcurrency(1).withRetries(0));
    net.runFor(5);
    answer(r1, node, List.of(r2.server(), DEAD)); // pending is a stack: dead is visited first
    net.runFor(1500); // dead times out after one send: DOWN
    answer(r2, node, List.of(DEAD));
    net.await(q.finished(), 5000);
    net.runFor(100);
    return List.of(r1, r2);
  }

  private static void answer(RawPeer peer, DhtNode node, List<HostPort> closer) {
    RequestMessage req = peer.requests().getFirst();
    HostPort to = node.socket().localAddress();
    peer.runtime.serverSocket().send(new ResponseMessage(req.tid(), to, null, null, closer, 0, null).encode(), to);
  }

  private static List<RequestMessage> hints(RawPeer peer) {
    return peer.requests().stream().filter(r -> r.internal() && r.command() == Commands.DOWN_HINT).toList();
  }

  @Test
  void shouldHintTheReferrerAndLaterReferrersOfANodeThatTimedOut() {
    List<RawPeer> peers = walk(o -> o);
    for (RawPeer p : peers) {
      List<RequestMessage> h = hints(p);
      assertEquals(1, h.size(), "one hint to " + p.server());
      assertArrayEquals(Compact.encode(HostPort.IPV4, DEAD), h.getFirst().value());
    }
  }

  @Test
  void shouldSendNoHintsBeyondTheBudgetOrWhenSwitchedOff() {
    assertTrue(walk(o -> o.withDownHints(true, 0)).stream().allMatch(p -> hints(p).isEmpty()));
    assertTrue(walk(o -> o.withDownHints(false, 50)).stream().allMatch(p -> hints(p).isEmpty()));
    List<RawPeer> one = walk(o -> o.withDownHints(true, 1));
    assertEquals(1, one.stream().mapToInt(p -> hints(p).size()).sum());
  }
}
