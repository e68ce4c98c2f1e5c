package io.hyperinfer.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.dht.sim.SimNetwork;
import io.hyperinfer.dht.sim.SimTestnet;
import io.hyperinfer.dht.wire.NodeId;
import io.hyperinfer.dht.wire.RequestMessage;
import io.hyperinfer.dht.wire.ResponseMessage;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which requests get which answer, field by field, as dht-rpc 6.27.0 answers them (HYPERDHT-NOTES §1.1.2). */
class ReplyMatrixTest {
  private SimNetwork net;
  private DhtNode node;
  private RawPeer peer;
  private final byte[] target = new byte[32];

  @BeforeEach
  void setUp() {
    net = new SimNetwork(11);
    SimTestnet testnet = SimTestnet.create(net, 6);
    node = testnet.nodes().get(3);
    peer = new RawPeer(net);
    target[0] = 7;
  }

  private HostPort at() {
    return node.localAddress();
  }

  @Test
  void shouldAnswerPingEmptyWithIdButNoTokenOrCloserNodesWhenPersistent() {
    int tid = peer.request(at(), true, Commands.PING, null, null, null);
    ResponseMessage r = peer.onlyResponse(tid);
    assertEquals(peer.server(), r.to(), "to = the requester as seen");
    assertArrayEquals(NodeId.of(at()), r.id());
    assertNull(r.token());
    assertTrue(r.closerNodes().isEmpty());
    assertEquals(0, r.error());
    assertNull(r.value());
  }

  @Test
  void shouldLeaveTheIdOutOfRepliesFromTheClientSocket() {
    HostPort clientSocket = node.clientSocket().localAddress();
    int tid = peer.request(clientSocket, true, Commands.PING, null, null, null);
    ResponseMessage r = peer.onlyResponse(tid);
    assertNull(r.id());
    assertEquals(clientSocket, peer.responsesTo(tid, 0).getFirst().from());
  }

  @Test
  void shouldAnswerPingNatToTheRequestedPortFromTheReceivingSocket() {
    int port = peer.client().port();
    int tid = peer.request(at(), true, Commands.PING_NAT, null, new byte[] {(byte) port, (byte) (port >>> 8)}, null);
    var got = peer.responsesTo(tid, 200);
    assertEquals(1, got.size());
    assertEquals(peer.client(), got.getFirst().socket().localAddress(), "the pong goes to the requested port");
    assertEquals(at(), got.getFirst().from(), "from the socket the request came in on");
    ResponseMessage r = (ResponseMessage) got.getFirst().message();
    assertEquals(peer.client(), r.to(), "to = the rewritten address");
    assertNull(r.token());
  }

  @Test
  void shouldStaySilentOnPingNatWithoutAUsablePort() {
    assertTrue(peer.responsesTo(peer.request(at(), true, Commands.PING_NAT, null, new byte[] {0, 0}, null), 200)
        .isEmpty());
    assertTrue(peer.responsesTo(peer.request(at(), true, Commands.PING_NAT, null, new byte[] {1}, null), 200)
        .isEmpty());
    assertTrue(peer.responsesTo(peer.request(at(), true, Commands.PING_NAT, null, null, null), 200).isEmpty());
  }

  @Test
  void shouldAnswerFindNodeWithCloserNodesAndNoTokenOrStaySilentWithoutTarget() {
    ResponseMessage r = peer.onlyResponse(peer.request(at(), true, Commands.FIND_NODE, target, null, null));
    assertNull(r.token());
    assertEquals(5, r.closerNodes().size(), "the other five nodes of the testnet");
    assertEquals(node.closestNodes(target, 20).stream().map(Peer::address).toList(), r.closerNodes());
    assertTrue(peer.responsesTo(peer.request(at(), true, Commands.FIND_NODE, null, null, null), 200).isEmpty());
  }

  @Test
  void shouldAnswerDownHintEmptyOrStaySilentWhenShort() {
    ResponseMessage r = peer.onlyResponse(peer.request(at(), true, Commands.DOWN_HINT, null, new byte[6], null));
    assertTrue(r.closerNodes().isEmpty());
    assertNull(r.token());
    assertTrue(peer.responsesTo(peer.request(at(), true, Commands.DOWN_HINT, null, new byte[5], null), 200)
        .isEmpty());
  }

  @Test
  void shouldAnswerDelayedPingAfterTheDelayOrNotAtAll() {
    long sent = net.nowMs();
    int tid = peer.request(at(), true, Commands.DELAYED_PING, null, new byte[] {(byte) 0xe8, 0x03, 0, 0}, null);
    assertTrue(peer.responsesTo(tid, 900).isEmpty());
    var got = peer.responsesTo(tid, 300);
    assertEquals(1, got.size());
    assertTrue(got.getFirst().atMs() - sent >= 1000);
    byte[] tooLong = {0x11, 0x27, 0, 0}; // 10,001 ms
    assertTrue(peer.responsesTo(peer.request(at(), true, Commands.DELAYED_PING, null, tooLong, null), 12_000)
        .isEmpty());
    assertTrue(peer.responsesTo(peer.request(at(), true, Commands.DELAYED_PING, null, new byte[3], null), 200)
        .isEmpty());
  }

  @Test
  void shouldAnswerUnknownInternalCommandsWithError1AndCloserNodesOnlyWithTarget() {
    ResponseMessage withTarget = peer.onlyResponse(peer.request(at(), true, 9, target, null, null));
    assertEquals(Response.UNKNOWN_COMMAND, withTarget.error());
    assertFalse(withTarget.closerNodes().isEmpty());
    assertNull(withTarget.token());
    ResponseMessage without = peer.onlyResponse(peer.request(at(), true, 9, null, null, null));
    assertEquals(Response.UNKNOWN_COMMAND, without.error());
    assertTrue(without.closerNodes().isEmpty());
  }

  @Test
  void shouldAnswerUnhandledExternalCommandsWithError1() {
    ResponseMessage r = peer.onlyResponse(peer.request(at(), false, 5, target, null, null));
    assertEquals(Response.UNKNOWN_COMMAND, r.error());
    assertFalse(r.closerNodes().isEmpty());
    node.onRequest(req -> false);
    assertEquals(Response.UNKNOWN_COMMAND, peer.onlyResponse(peer.request(at(), false, 5, null, null, null)).error());
  }

  @Test
  void shouldReplyWithTokenAndCloserNodesByDefaultAndErrorWithoutToken() {
    node.onRequest(req -> {
      if (req.command() == 10) {
        req.reply(new byte[] {1, 2});
      } else {
        req.error(16);
      }
      return true;
    });
    ResponseMessage ok = peer.onlyResponse(peer.request(at(), false, 10, target, null, null));
    assertNotNull(ok.token());
    assertFalse(ok.closerNodes().isEmpty());
    assertArrayEquals(new byte[] {1, 2}, ok.value());
    ResponseMessage noTarget = peer.onlyResponse(peer.request(at(), false, 10, null, null, null));
    assertNotNull(noTarget.token());
    assertTrue(noTarget.closerNodes().isEmpty());
    ResponseMessage err = peer.onlyResponse(peer.request(at(), false, 11, target, null, null));
    assertEquals(16, err.error());
    assertNull(err.token());
    assertFalse(err.closerNodes().isEmpty());
  }

  @Test
  void shouldHonourReplyOptions() {
    RawPeer other = new RawPeer(net);
    node.onRequest(req -> {
      switch ((int) req.command()) {
        case 20 -> req.reply(null, ReplyOptions.BARE);
        case 21 -> req.reply(new byte[] {9}, ReplyOptions.REPLY.withTo(other.server()));
        case 22 -> req.reply(null, ReplyOptions.BARE.withSocket(node.clientSocket()));
        default -> req.error(17, ReplyOptions.ERROR.withToken(true).withCloserNodes(false));
      }
      return true;
    });
    ResponseMessage bare = peer.onlyResponse(peer.request(at(), false, 20, target, null, null));
    assertNull(bare.token());
    assertTrue(bare.closerNodes().isEmpty());
    int tid = peer.request(at(), false, 21, target, null, null);
    assertTrue(peer.responsesTo(tid, 200).isEmpty());
    ResponseMessage redirected = (ResponseMessage) other.received.getFirst().message();
    assertEquals(tid, redirected.tid());
    assertEquals(other.server(), redirected.to(), "to = opts.to");
    int viaClient = peer.request(at(), false, 22, null, null, null);
    var got = peer.responsesTo(viaClient, 200);
    assertEquals(node.clientSocket().localAddress(), got.getFirst().from());
    assertNull(((ResponseMessage) got.getFirst().message()).id(), "no id from the client socket");
    ResponseMessage err = peer.onlyResponse(peer.request(at(), false, 23, target, null, null));
    assertEquals(17, err.error());
    assertNotNull(err.token());
    assertTrue(err.closerNodes().isEmpty());
  }

  @Test
  void shouldShowHandlersWhereARequestArrivedAndRefuseErrorCodeZero() {
    List<IncomingRequest> seen = new ArrayList<>();
    DhtSocket broken = new DhtSocket() {
      @Override
      public HostPort localAddress() {
        return new HostPort("10.99.99.99", 1);
      }

      @Override
      public void send(byte[] datagram, HostPort to) {
        throw new IllegalStateException("transport failed");
      }
    };
    node.onRequest(req -> {
      seen.add(req);
      if (req.command() == 61) {
        req.reply(null, ReplyOptions.REPLY.withSocket(broken));
      }
      return true;
    });
    peer.request(at(), false, 60, null, null, null);
    peer.request(node.clientSocket().localAddress(), false, 60, null, null, null);
    int tid = peer.request(at(), false, 61, null, null, null);
    net.runFor(100);
    IncomingRequest onServer = seen.stream().filter(r -> r.socket() == node.serverSocket()).findFirst().orElseThrow();
    IncomingRequest onClient = seen.stream().filter(r -> r.socket() == node.clientSocket()).findFirst().orElseThrow();
    assertFalse(onServer.external(), "a persistent node sends from its server socket");
    assertTrue(onClient.external());
    assertFalse(onServer.internal());
    assertThrows(IllegalArgumentException.class, () -> onServer.error(0));
    assertTrue(peer.responsesTo(tid, 10).isEmpty());
    assertEquals(1, node.stats().sendErrors());
  }

  @Test
  void shouldAnswerInvalidTokensWithAFreshTokenAndNeverCallTheHandler() {
    AtomicInteger handled = new AtomicInteger();
    List<byte[]> seenTokens = new ArrayList<>();
    node.onRequest(req -> {
      handled.incrementAndGet();
      seenTokens.add(req.token());
      req.reply(null);
      return true;
    });
    ResponseMessage bad = peer.onlyResponse(peer.request(at(), false, 30, target, null, new byte[32]));
    assertEquals(Response.INVALID_TOKEN, bad.error());
    assertNotNull(bad.token());
    assertFalse(bad.closerNodes().isEmpty());
    assertEquals(0, handled.get());
    assertEquals(1, node.stats().invalidTokens());
    ResponseMessage good = peer.onlyResponse(peer.request(at(), false, 30, target, null, bad.token()));
    assertEquals(0, good.error());
    assertEquals(1, handled.get());
    assertArrayEquals(bad.token(), seenTokens.getFirst());
  }

  @Test
  void shouldLeaveRequestsUnansweredWhenTheHandlerThrowsOrStaysSilent() {
    node.onRequest(req -> {
      if (req.command() == 40) {
        throw new IllegalStateException("boom");
      }
      return true;
    });
    assertTrue(peer.responsesTo(peer.request(at(), false, 40, null, null, null), 200).isEmpty());
    assertEquals(1, node.stats().handlerErrors());
    assertTrue(peer.responsesTo(peer.request(at(), false, 41, null, null, null), 200).isEmpty());
  }

  @Test
  void shouldRelayWithTheSameTidToTheNewDestinationWithoutToken() {
    RawPeer dest = new RawPeer(net);
    node.onRequest(req -> {
      req.relay(new byte[] {5}, dest.server());
      return true;
    });
    int tid = peer.request(at(), false, 50, target, new byte[] {1}, null);
    net.runFor(200);
    RequestMessage relayed = dest.requests().getFirst();
    assertEquals(tid, relayed.tid());
    assertEquals(50, relayed.command());
    assertArrayEquals(target, relayed.target());
    assertArrayEquals(new byte[] {5}, relayed.value());
    assertEquals(dest.server(), relayed.to());
    assertNull(relayed.token());
    assertArrayEquals(NodeId.of(at()), relayed.id(), "a persistent node's id, from its server socket");
    assertEquals(at(), dest.received.getFirst().from());
  }

  @Test
  void shouldDropAndCountMalformedAndUnmatchedDatagrams() {
    peer.sendRaw(new byte[] {3}, at());
    peer.sendRaw(new byte[] {0x55, 1, 2, 3}, at());
    peer.sendRaw(new byte[] {3, 0, 1}, at());
    peer.sendRaw(new ResponseMessage(4242, at(), null, null, List.of(), 0, null).encode(), at());
    net.runFor(200);
    assertEquals(3, node.stats().malformed());
    assertEquals(1, node.stats().unmatchedResponses());
    assertTrue(peer.received.isEmpty());
  }

  @Test
  void shouldNeverSendAnIdFromAnEphemeralNode() {
    SimTestnet t = SimTestnet.create(new SimNetwork(5), 3);
    DhtNode eph = t.add(o -> o.withMode(NodeOptions.Mode.EPHEMERAL));
    RawPeer p = new RawPeer(t.network());
    ResponseMessage r = p.onlyResponse(p.request(eph.localAddress(), true, Commands.PING, null, null, null));
    assertNull(r.id());
    assertNull(eph.id());
    assertTrue(eph.ephemeral());
    for (DhtNode other : t.nodes()) {
      assertTrue(other.nodes(100).stream().noneMatch(n -> n.sameAddress(eph.localAddress())
          || n.sameAddress(eph.clientSocket().localAddress())), "ephemeral nodes are in no table");
    }
  }
}
