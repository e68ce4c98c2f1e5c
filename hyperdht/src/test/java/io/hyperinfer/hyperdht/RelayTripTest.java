package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.NoisePayload;
import io.hyperinfer.hyperdht.wire.Peer;
import io.hyperinfer.hyperdht.wire.SecretStreamInfo;
import io.hyperinfer.hyperdht.wire.UdxInfo;
import io.hyperinfer.testkit.ManualClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A whole connect handshake and a holepunch round through relays, with the routers of three or four nodes and the
 * Noise of client and server, carried by a test loop that does what the DHT node will do with each outcome.
 */
class RelayTripTest {
  private static final HostPort CLIENT = new HostPort("10.0.0.1", 1001);
  private static final HostPort RELAY = new HostPort("10.0.0.2", 1002);
  private static final HostPort SECOND = new HostPort("10.0.0.3", 1003);
  private static final HostPort SERVER = new HostPort("10.0.0.4", 1004);

  private final ManualClock clock = new ManualClock();
  private final Map<HostPort, Router> routers = new HashMap<>();
  private final KeyPair serverKeys = HyperDhtCrypto.keyPair();
  private final byte[] target = HyperDhtCrypto.hash(serverKeys.publicKey());
  private final NoiseWrap server = NoiseWrap.responder(serverKeys);

  private Router router(HostPort at) {
    return routers.computeIfAbsent(at, a -> new Router(100, Duration.ofMinutes(20), clock, new DropCounter()));
  }

  /** Delivers a request at {@code at} and follows relays until a reply comes out; returns it and its sender. */
  private Response deliver(Command command, byte[] value, HostPort from, HostPort at) {
    ReceivedRequest req = new ReceivedRequest(command.id(), target, null, false, value, from);
    Decision d = command == Command.PEER_HANDSHAKE ? router(at).onPeerHandshake(req) : router(at).onPeerHolepunch(req);
    Outcome o = switch (d) {
      case Decision.ServerHandshake ask -> router(at).onServerHandshake(ask.handshake(), from,
          server.send(payload(server.receive(ask.handshake().noise()))));
      case Decision.ServerHolepunch ask -> router(at).onServerHolepunch(ask.holepunch(), from, new byte[] {42});
      case Outcome done -> done;
      case Decision.ToPlugin p -> throw new AssertionError(p);
    };
    return switch (o) {
      case Outcome.Relay relay -> deliver(command, relay.value(), at, relay.to());
      case Outcome.Reply reply -> new Response(at, reply.to() == null ? from : reply.to(), reply.value());
      default -> throw new AssertionError("no answer: " + o);
    };
  }

  private record Response(HostPort from, HostPort to, byte[] value) {}

  private static NoisePayload payload(NoisePayload received) {
    return new NoisePayload(1, 0, Firewall.UNKNOWN, null, List.of(), List.of(), UdxInfo.of(false, 77),
        SecretStreamInfo.V1, null, null);
  }

  @Test
  void shouldCompleteTheNoiseHandshakeWhenRelayedByOneNode() {
    router(SERVER).listen(Bytes32.of(target), new Peer(serverKeys.publicKey(), List.of()));
    router(RELAY).forward(Bytes32.of(target), SERVER, new Peer(serverKeys.publicKey(), List.of()));
    NoiseWrap client = NoiseWrap.initiator(HyperDhtCrypto.keyPair(), serverKeys.publicKey());
    byte[] msg1 = client.send(payload(null));

    Response res = deliver(Command.PEER_HANDSHAKE, RouterClient.handshakeRequest(msg1, null, null), CLIENT, RELAY);
    assertEquals(CLIENT, res.to(), "the relay replies to the client");
    RouterClient.HandshakeReply reply = RouterClient.handshakeReply(RELAY, res.from(), CLIENT, res.value());
    assertTrue(reply.relayed());
    assertEquals(SERVER, reply.serverAddress(), "the server as the relay saw it");
    assertEquals(77, client.receive(reply.noise()).udx().id());
    assertArrayEquals(client.established().tx(), server.established().rx());
    assertArrayEquals(client.established().holepunchSecret(), server.established().holepunchSecret());

    assertThrows(HyperDhtException.class, () -> RouterClient.handshakeReply(OTHER_NODE, res.from(), CLIENT,
        res.value()), "a reply from another address than the request went to is refused");
  }

  private static final HostPort OTHER_NODE = new HostPort("10.0.0.9", 9);

  @Test
  void shouldGoThroughASecondRelayAndBackThroughTheFirstWhenRoutesChain() {
    router(SERVER).listen(Bytes32.of(target), new Peer(serverKeys.publicKey(), List.of()));
    router(SECOND).forward(Bytes32.of(target), SERVER, new Peer(serverKeys.publicKey(), List.of()));
    NoiseWrap client = NoiseWrap.initiator(HyperDhtCrypto.keyPair(), serverKeys.publicKey());
    byte[] msg1 = client.send(payload(null));
    // The client asks RELAY to use SECOND; RELAY forwards FROM_RELAY to SECOND, which holds the route and forwards
    // FROM_SECOND_RELAY to the server; the server answers FROM_SERVER to RELAY, which replies to the client.
    Response res = deliver(Command.PEER_HANDSHAKE, RouterClient.handshakeRequest(msg1, null, SECOND), CLIENT, RELAY);
    assertEquals(RELAY, res.from());
    RouterClient.HandshakeReply reply = RouterClient.handshakeReply(RELAY, res.from(), CLIENT, res.value());
    assertTrue(reply.relayed());
    client.receive(reply.noise());
    assertTrue(client.isComplete());
  }

  @Test
  void shouldAnswerDirectlyWhenTheClientReachesTheServerNode() {
    router(SERVER).listen(Bytes32.of(target), new Peer(serverKeys.publicKey(), List.of()));
    NoiseWrap client = NoiseWrap.initiator(HyperDhtCrypto.keyPair(), serverKeys.publicKey());
    Response res = deliver(Command.PEER_HANDSHAKE,
        RouterClient.handshakeRequest(client.send(payload(null)), null, null), CLIENT, SERVER);
    RouterClient.HandshakeReply reply = RouterClient.handshakeReply(SERVER, res.from(), CLIENT, res.value());
    assertFalse(reply.relayed());
    assertEquals(SERVER, reply.serverAddress());
    assertEquals(CLIENT, reply.clientAddress());
  }

  @Test
  void shouldCarryAHolepunchRoundToTheServerAndBack() {
    router(SERVER).listen(Bytes32.of(target), new Peer(serverKeys.publicKey(), List.of()));
    Response res = deliver(Command.PEER_HOLEPUNCH, RouterClient.holepunchRequest(4, new byte[] {7}, SERVER), CLIENT,
        RELAY);
    RouterClient.HolepunchReply reply = RouterClient.holepunchReply(RELAY, res.from(), CLIENT, res.value());
    assertArrayEquals(new byte[] {42}, reply.payload());
    assertEquals(SERVER, reply.peerAddress());
    assertEquals(RELAY, reply.from());
    HyperDhtException bad = assertThrows(HyperDhtException.class,
        () -> RouterClient.holepunchReply(SERVER, res.from(), CLIENT, res.value()));
    assertEquals(HyperDhtException.Code.BAD_HOLEPUNCH_REPLY, bad.code());
    assertEquals(HyperDhtException.Code.BAD_HOLEPUNCH_REPLY, assertThrows(HyperDhtException.class,
        () -> RouterClient.holepunchReply(RELAY, RELAY, CLIENT, null)).code());
    assertEquals(HyperDhtException.Code.BAD_HANDSHAKE_REPLY, assertThrows(HyperDhtException.class,
        () -> RouterClient.handshakeReply(RELAY, RELAY, CLIENT, RouterClient.handshakeRequest(new byte[1], null,
            null))).code(), "a FROM_CLIENT message is no reply");
    assertInstanceOf(RouterClient.HandshakeReply.class, RouterClient.handshakeReply(RELAY, RELAY, CLIENT,
        Router.encode(new io.hyperinfer.hyperdht.wire.Handshake(io.hyperinfer.hyperdht.wire.RouteMode.REPLY,
            new byte[0], null, null))));
    assertEquals(RELAY, RouterClient.holepunchReply(RELAY, RELAY, CLIENT, Router.encode(
        new io.hyperinfer.hyperdht.wire.Holepunch(io.hyperinfer.hyperdht.wire.RouteMode.REPLY, 0, new byte[0],
            null))).peerAddress(), "no peer address: the relay stands for the server");
  }
}
