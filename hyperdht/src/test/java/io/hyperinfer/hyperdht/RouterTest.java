package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Handshake;
import io.hyperinfer.hyperdht.wire.Holepunch;
import io.hyperinfer.hyperdht.wire.Peer;
import io.hyperinfer.hyperdht.wire.RouteMode;
import io.hyperinfer.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** router.js's forwarding decisions in every mode, for nodes with and without a route and for local servers. */
class RouterTest {
  static final HostPort CLIENT = new HostPort("10.0.0.1", 1001);
  static final HostPort RELAY = new HostPort("10.0.0.2", 1002);
  static final HostPort SERVER = new HostPort("10.0.0.3", 1003);
  static final HostPort OTHER = new HostPort("10.0.0.4", 1004);
  static final byte[] SERVER_KEY = SignaturesTest.seeded(1).publicKey();
  static final byte[] TARGET = HyperDhtCrypto.hash(SERVER_KEY);
  static final Bytes32 TARGET_KEY = Bytes32.of(TARGET);
  static final Peer RECORD = new Peer(SERVER_KEY, List.of());
  static final byte[] MSG1 = {1, 2, 3};
  static final byte[] MSG2 = {4, 5};

  private final ManualClock clock = new ManualClock();
  private final DropCounter drops = new DropCounter();
  private final Router router = new Router(100, Duration.ofMinutes(20), clock, drops);

  static ReceivedRequest request(Command command, byte[] target, byte[] value, HostPort from) {
    return new ReceivedRequest(command.id(), target, null, false, value, from);
  }

  static byte[] handshake(RouteMode mode, byte[] noise, HostPort peer, HostPort relay) {
    return Router.encode(new Handshake(mode, noise, peer, relay));
  }

  static Handshake handshakeIn(Outcome.Relay relay) {
    return Handshake.CODEC.decode(Buf.wrap(relay.value()));
  }

  static Handshake handshakeIn(Outcome.Reply reply) {
    return Handshake.CODEC.decode(Buf.wrap(reply.value()));
  }

  private Decision hs(RouteMode mode, HostPort peer, HostPort relay, HostPort from) {
    return router.onPeerHandshake(request(Command.PEER_HANDSHAKE, TARGET, handshake(mode, MSG1, peer, relay), from));
  }

  @Test
  void shouldAnswerWithCloserNodesOnlyWhenTheNodeKnowsNoRoute() {
    Outcome.Reply reply = assertInstanceOf(Outcome.Reply.class, hs(RouteMode.FROM_CLIENT, null, null, CLIENT));
    assertNull(reply.value());
    assertFalse(reply.withToken());
    assertTrue(reply.withCloserNodes());
    assertNull(reply.to());
    assertEquals(ReplySocket.RECEIVING, reply.socket());
  }

  @Test
  void shouldRelayToTheAnnouncedServerWhenAClientHandshakes() {
    router.forward(TARGET_KEY, SERVER, RECORD);
    Outcome.Relay relay = assertInstanceOf(Outcome.Relay.class, hs(RouteMode.FROM_CLIENT, null, null, CLIENT));
    assertEquals(SERVER, relay.to());
    assertEquals(ReplySocket.RECEIVING, relay.socket());
    Handshake sent = handshakeIn(relay);
    assertEquals(RouteMode.FROM_RELAY, sent.mode());
    assertArrayEquals(MSG1, sent.noise());
    assertEquals(CLIENT, sent.peerAddress(), "the client as this relay saw it");
    assertNull(sent.relayAddress());
  }

  @Test
  void shouldPreferTheRelayTheClientNamesWhenRelaying() {
    router.forward(TARGET_KEY, SERVER, RECORD);
    Outcome.Relay relay = assertInstanceOf(Outcome.Relay.class, hs(RouteMode.FROM_CLIENT, null, OTHER, CLIENT));
    assertEquals(OTHER, relay.to());
    Outcome.Relay untargeted = assertInstanceOf(Outcome.Relay.class, router.onPeerHandshake(
        request(Command.PEER_HANDSHAKE, null, handshake(RouteMode.FROM_CLIENT, MSG1, null, OTHER), CLIENT)));
    assertEquals(OTHER, untargeted.to());
  }

  @Test
  void shouldForwardToASecondRelayWhenARelayedHandshakeReachesANonServer() {
    router.forward(TARGET_KEY, SERVER, RECORD);
    Outcome.Relay relay = assertInstanceOf(Outcome.Relay.class, hs(RouteMode.FROM_RELAY, CLIENT, null, RELAY));
    assertEquals(SERVER, relay.to());
    Handshake sent = handshakeIn(relay);
    assertEquals(RouteMode.FROM_SECOND_RELAY, sent.mode());
    assertEquals(CLIENT, sent.peerAddress());
    assertEquals(RELAY, sent.relayAddress(), "the server answers through the first relay");
    Router empty = new Router(10, Duration.ofMinutes(20), clock, drops);
    assertEquals(new Outcome.Drop(DropReason.NO_ROUTE), empty.onPeerHandshake(
        request(Command.PEER_HANDSHAKE, TARGET, handshake(RouteMode.FROM_RELAY, MSG1, CLIENT, null), RELAY)));
  }

  @Test
  void shouldReplyToTheClientWhenTheServerAnswersThroughThisRelay() {
    Outcome.Reply reply = assertInstanceOf(Outcome.Reply.class, hs(RouteMode.FROM_SERVER, CLIENT, null, SERVER));
    assertEquals(CLIENT, reply.to());
    assertFalse(reply.withToken());
    assertFalse(reply.withCloserNodes());
    Handshake sent = handshakeIn(reply);
    assertEquals(RouteMode.REPLY, sent.mode());
    assertEquals(SERVER, sent.peerAddress(), "the server as this relay saw it");
    assertEquals(new Outcome.Drop(DropReason.MISSING_PEER_ADDRESS), hs(RouteMode.FROM_SERVER, null, null, SERVER));
  }

  @Test
  void shouldDropModesThatMakeNoSenseAtANode() {
    assertEquals(new Outcome.Drop(DropReason.UNEXPECTED_MODE), hs(RouteMode.REPLY, CLIENT, null, OTHER));
    assertEquals(new Outcome.Drop(DropReason.UNEXPECTED_MODE), hs(RouteMode.FROM_SECOND_RELAY, CLIENT, RELAY, OTHER));
    assertEquals(new Outcome.Drop(DropReason.MISSING_VALUE),
        router.onPeerHandshake(request(Command.PEER_HANDSHAKE, TARGET, null, CLIENT)));
    assertEquals(new Outcome.Drop(DropReason.MALFORMED_VALUE),
        router.onPeerHandshake(request(Command.PEER_HANDSHAKE, TARGET, new byte[] {0, 9, 0}, CLIENT)));
    assertEquals(4, drops.total());
    assertEquals(1, drops.count(DropReason.MALFORMED_VALUE));
    assertEquals(2, drops.snapshot().get(DropReason.UNEXPECTED_MODE));
  }

  @Test
  void shouldAskTheLocalServerAndReplyDirectlyWhenTheClientCameStraightHere() {
    assertTrue(router.listen(TARGET_KEY, RECORD));
    Decision.ServerHandshake ask = assertInstanceOf(Decision.ServerHandshake.class,
        hs(RouteMode.FROM_CLIENT, null, null, CLIENT));
    assertEquals(TARGET_KEY, ask.target());
    assertArrayEquals(MSG1, ask.handshake().noise());
    Outcome.Reply reply = assertInstanceOf(Outcome.Reply.class,
        router.onServerHandshake(ask.handshake(), CLIENT, MSG2));
    assertEquals(ReplySocket.SERVER_CHOSEN, reply.socket());
    assertFalse(reply.withCloserNodes());
    Handshake sent = handshakeIn(reply);
    assertEquals(RouteMode.REPLY, sent.mode());
    assertNull(sent.peerAddress(), "not relayed");
    assertArrayEquals(MSG2, sent.noise());
    assertEquals(new Outcome.Drop(DropReason.SERVER_DECLINED), router.onServerHandshake(ask.handshake(), CLIENT, null));
  }

  @Test
  void shouldRelayTheServerAnswerBackToTheRelayWhenTheHandshakeWasRelayed() {
    router.listen(TARGET_KEY, RECORD);
    Decision.ServerHandshake ask = assertInstanceOf(Decision.ServerHandshake.class,
        hs(RouteMode.FROM_RELAY, CLIENT, null, RELAY));
    Outcome.Relay back = assertInstanceOf(Outcome.Relay.class, router.onServerHandshake(ask.handshake(), RELAY, MSG2));
    assertEquals(RELAY, back.to());
    assertEquals(ReplySocket.SERVER_CHOSEN, back.socket());
    Handshake sent = handshakeIn(back);
    assertEquals(RouteMode.FROM_SERVER, sent.mode());
    assertEquals(CLIENT, sent.peerAddress());

    Decision.ServerHandshake second = assertInstanceOf(Decision.ServerHandshake.class,
        hs(RouteMode.FROM_SECOND_RELAY, CLIENT, RELAY, OTHER));
    Outcome.Relay viaFirst = assertInstanceOf(Outcome.Relay.class,
        router.onServerHandshake(second.handshake(), OTHER, MSG2));
    assertEquals(RELAY, viaFirst.to(), "answered through the relay the second relay named");
    assertEquals(new Outcome.Drop(DropReason.MISSING_RELAY_ADDRESS),
        hs(RouteMode.FROM_SECOND_RELAY, CLIENT, null, OTHER));
    assertEquals(new Outcome.Drop(DropReason.UNEXPECTED_MODE), hs(RouteMode.FROM_SERVER, CLIENT, null, OTHER));
    assertEquals(new Outcome.Drop(DropReason.UNEXPECTED_MODE), router.onServerHandshake(
        new Handshake(RouteMode.REPLY, MSG1, null, null), OTHER, MSG2));
    assertEquals(new Outcome.Drop(DropReason.MISSING_RELAY_ADDRESS), router.onServerHandshake(
        new Handshake(RouteMode.FROM_SECOND_RELAY, MSG1, CLIENT, null), OTHER, MSG2));
  }

  @Test
  void shouldKeepALocalServerRouteWhenAnAnnounceForTheSameTargetArrives() {
    router.listen(TARGET_KEY, RECORD);
    router.forward(TARGET_KEY, OTHER, RECORD);
    clock.advance(Duration.ofDays(3));
    assertTrue(router.get(TARGET_KEY).orElseThrow().localServer());
    router.delete(TARGET_KEY);
    assertTrue(router.get(TARGET_KEY).isEmpty());
  }

  @Test
  void shouldForgetARouteOnScheduleUnlessItIsUsed() {
    router.forward(TARGET_KEY, SERVER, RECORD);
    clock.set(Instant.parse("2026-01-01T00:00:00Z").plusMillis(800_001));
    assertInstanceOf(Outcome.Relay.class, hs(RouteMode.FROM_CLIENT, null, null, CLIENT), "a use refreshes it");
    clock.set(Instant.parse("2026-01-01T00:00:00Z").plusMillis(2_400_000 - 1));
    assertEquals(1, router.size());
    clock.set(Instant.parse("2026-01-01T00:00:00Z").plusMillis(2_400_000));
    assertEquals(0, router.size());
    assertInstanceOf(Outcome.Reply.class, hs(RouteMode.FROM_CLIENT, null, null, CLIENT));
  }

  private Decision hp(RouteMode mode, long id, HostPort peer, HostPort from) {
    return router.onPeerHolepunch(request(Command.PEER_HOLEPUNCH, TARGET,
        Router.encode(new Holepunch(mode, id, MSG1, peer)), from));
  }

  @Test
  void shouldForwardAClientsHolepunchToTheAddressItNamesOrTheRoute() {
    Outcome.Relay named = assertInstanceOf(Outcome.Relay.class, hp(RouteMode.FROM_CLIENT, 3, SERVER, CLIENT));
    assertEquals(SERVER, named.to());
    Holepunch sent = Holepunch.CODEC.decode(Buf.wrap(named.value()));
    assertEquals(RouteMode.FROM_RELAY, sent.mode());
    assertEquals(3, sent.id());
    assertEquals(CLIENT, sent.peerAddress());
    assertEquals(new Outcome.Drop(DropReason.NO_ROUTE), hp(RouteMode.FROM_CLIENT, 3, null, CLIENT));
    router.forward(TARGET_KEY, OTHER, RECORD);
    assertEquals(OTHER, assertInstanceOf(Outcome.Relay.class, hp(RouteMode.FROM_CLIENT, 3, null, CLIENT)).to());
  }

  @Test
  void shouldAskTheLocalServerAndRelayItsRoundBackWhenARelayForwardsAHolepunch() {
    router.listen(TARGET_KEY, RECORD);
    Decision.ServerHolepunch ask = assertInstanceOf(Decision.ServerHolepunch.class,
        hp(RouteMode.FROM_RELAY, 5, CLIENT, RELAY));
    assertEquals(5, ask.holepunch().id());
    Outcome.Relay back = assertInstanceOf(Outcome.Relay.class, router.onServerHolepunch(ask.holepunch(), RELAY, MSG2));
    assertEquals(RELAY, back.to());
    assertEquals(ReplySocket.SERVER_CHOSEN, back.socket());
    Holepunch sent = Holepunch.CODEC.decode(Buf.wrap(back.value()));
    assertEquals(RouteMode.FROM_SERVER, sent.mode());
    assertEquals(0, sent.id());
    assertEquals(CLIENT, sent.peerAddress());
    assertArrayEquals(MSG2, sent.payload());
    assertEquals(new Outcome.Drop(DropReason.SERVER_DECLINED), router.onServerHolepunch(ask.holepunch(), RELAY, null));
    assertEquals(new Outcome.Drop(DropReason.MISSING_PEER_ADDRESS), hp(RouteMode.FROM_RELAY, 5, null, RELAY));
  }

  @Test
  void shouldDropARelayedHolepunchWhenThisNodeServesNoSuchTarget() {
    assertEquals(new Outcome.Drop(DropReason.NOT_A_SERVER), hp(RouteMode.FROM_RELAY, 5, CLIENT, RELAY));
    router.forward(TARGET_KEY, SERVER, RECORD);
    assertEquals(new Outcome.Drop(DropReason.NOT_A_SERVER), hp(RouteMode.FROM_RELAY, 5, CLIENT, RELAY));
  }

  @Test
  void shouldReplyToTheClientWhenTheServersRoundComesBack() {
    Outcome.Reply reply = assertInstanceOf(Outcome.Reply.class, hp(RouteMode.FROM_SERVER, 0, CLIENT, SERVER));
    assertEquals(CLIENT, reply.to());
    assertFalse(reply.withToken());
    Holepunch sent = Holepunch.CODEC.decode(Buf.wrap(reply.value()));
    assertEquals(RouteMode.REPLY, sent.mode());
    assertEquals(SERVER, sent.peerAddress());
    Outcome.Reply toSender = assertInstanceOf(Outcome.Reply.class, hp(RouteMode.FROM_SERVER, 0, null, SERVER));
    assertNull(toSender.to(), "no peer address: back to the sender, as JS's opts.to || req.from");
    assertEquals(new Outcome.Drop(DropReason.UNEXPECTED_MODE), hp(RouteMode.REPLY, 0, null, SERVER));
    assertEquals(new Outcome.Drop(DropReason.UNEXPECTED_MODE), hp(RouteMode.FROM_SECOND_RELAY, 0, null, SERVER));
    assertEquals(new Outcome.Drop(DropReason.MISSING_VALUE),
        router.onPeerHolepunch(request(Command.PEER_HOLEPUNCH, TARGET, null, CLIENT)));
    assertEquals(new Outcome.Drop(DropReason.MALFORMED_VALUE),
        router.onPeerHolepunch(request(Command.PEER_HOLEPUNCH, TARGET, new byte[] {1}, CLIENT)));
  }
}
