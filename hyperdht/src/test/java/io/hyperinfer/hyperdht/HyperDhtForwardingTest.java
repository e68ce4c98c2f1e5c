package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.IncomingRequest;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Handshake;
import io.hyperinfer.hyperdht.wire.Holepunch;
import io.hyperinfer.hyperdht.wire.NoisePayload;
import io.hyperinfer.hyperdht.wire.Peer;
import io.hyperinfer.hyperdht.wire.SecretStreamInfo;
import io.hyperinfer.hyperdht.wire.UdxInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Handshakes and holepunch rounds carried between a client and a server registered on its node ({@link LocalServer})
 * by the router of every node on the way ({@code lib/router.js}), on a simulated network, with real Noise.
 */
class HyperDhtForwardingTest {
  private final SimNet net = new SimNet(21, 6);
  private final KeyPair serverKeys = HyperDhtCrypto.keyPair();
  private final byte[] target = HyperDhtCrypto.hash(serverKeys.publicKey());
  private final HyperDht serverNode = net.testnet.createNode();
  private final HyperDht client = net.testnet.createNode();
  private final NoiseServer server = new NoiseServer();

  /** A server that answers each handshake with a fresh Noise responder and each round with a fixed payload. */
  private final class NoiseServer implements LocalServer {
    final List<IncomingRequest> handshakes = new ArrayList<>();
    final List<Holepunch> rounds = new ArrayList<>();
    DhtSocket answerFrom;
    boolean decline;
    boolean broken;

    @Override
    public CompletionStage<Answer> onHandshake(Handshake handshake, IncomingRequest request) {
      handshakes.add(request);
      if (broken) {
        throw new IllegalStateException("server bug");
      }
      if (decline) {
        return CompletableFuture.completedFuture(null);
      }
      NoiseWrap responder = NoiseWrap.responder(serverKeys);
      responder.receive(handshake.noise());
      return CompletableFuture.completedFuture(new Answer(responder.send(payload()), answerFrom));
    }

    @Override
    public CompletionStage<Answer> onHolepunch(Holepunch holepunch, IncomingRequest request) {
      rounds.add(holepunch);
      return decline ? CompletableFuture.failedFuture(new IllegalStateException("closing"))
          : CompletableFuture.completedFuture(new Answer(new byte[] {7, 7, (byte) holepunch.id()}, answerFrom));
    }
  }

  private static NoisePayload payload() {
    return new NoisePayload(1, 0, Firewall.OPEN, null, List.of(), List.of(), UdxInfo.of(false, 1),
        SecretStreamInfo.V1, null, List.of());
  }

  /** Listens, announces the server's key and returns a node that now routes to it. */
  private HostPort listenAndAnnounce() {
    net.await(serverNode.listen(new Peer(serverKeys.publicKey(), List.of()), server));
    net.await(serverNode.announce(target, serverKeys, List.of()));
    return net.await(client.findPeer(serverKeys.publicKey())).replies().get(0).from().address();
  }

  @Test
  void shouldCarryTheHandshakeThroughARelayWhenTheServerIsElsewhere() {
    HostPort relay = listenAndAnnounce();
    NoiseWrap initiator = NoiseWrap.initiator(HyperDhtCrypto.keyPair(), serverKeys.publicKey());

    RouterClient.HandshakeReply reply = net.await(client.peerHandshake(target, initiator.send(payload()), null, null,
        relay, RequestOptions.DEFAULT));

    assertTrue(reply.relayed());
    assertEquals(serverNode.node().socket().localAddress(), reply.serverAddress(), "the server as the relay saw it");
    assertEquals(Firewall.OPEN, initiator.receive(reply.noise()).firewall());
    assertEquals(relay, server.handshakes.get(0).from().address(), "the relay forwarded it");
  }

  @Test
  void shouldAnswerDirectlyWhenTheClientReachesTheServersNode() {
    listenAndAnnounce();
    NoiseWrap initiator = NoiseWrap.initiator(HyperDhtCrypto.keyPair(), serverKeys.publicKey());

    RouterClient.HandshakeReply reply = net.await(client.peerHandshake(target, initiator.send(payload()), null, null,
        serverNode.localAddress(), RequestOptions.DEFAULT));

    assertFalse(reply.relayed());
    assertEquals(serverNode.localAddress(), reply.serverAddress());
    initiator.receive(reply.noise());
    assertArrayEquals(initiator.established().remotePublicKey(), serverKeys.publicKey());
  }

  @Test
  void shouldGoThroughASecondRelayWhenTheClientNamesTheRelay() {
    HostPort relay = listenAndAnnounce();
    HyperDht first = net.testnet.createNode();
    NoiseWrap initiator = NoiseWrap.initiator(HyperDhtCrypto.keyPair(), serverKeys.publicKey());

    RouterClient.HandshakeReply reply = net.await(client.peerHandshake(target, initiator.send(payload()), null, relay,
        first.localAddress(), RequestOptions.DEFAULT));

    assertTrue(reply.relayed());
    initiator.receive(reply.noise());
    assertEquals(relay, server.handshakes.get(0).from().address(), "FROM_SECOND_RELAY came from the named relay");
  }

  @Test
  void shouldFailWithBadHandshakeReplyWhenTheNodeKnowsNoRoute() {
    HyperDht stranger = net.testnet.createNode();
    CompletableFuture<RouterClient.HandshakeReply> f = client.peerHandshake(target, new byte[] {1}, null, null,
        stranger.localAddress(), RequestOptions.DEFAULT);

    assertEquals(HyperDhtException.Code.BAD_HANDSHAKE_REPLY,
        assertInstanceOf(HyperDhtException.class, net.failure(f)).code());
  }

  @Test
  void shouldCarryAHolepunchRoundBothWaysWhenRelayedToTheServer() {
    HostPort relay = listenAndAnnounce();
    server.answerFrom = serverNode.node().serverSocket();
    HostPort serverAsSeen = serverNode.node().socket().localAddress();

    RouterClient.HolepunchReply reply = net.await(client.peerHolepunch(target, 3, new byte[] {1, 2}, serverAsSeen,
        relay, RequestOptions.DEFAULT));

    assertArrayEquals(new byte[] {7, 7, 3}, reply.payload());
    assertEquals(relay, reply.from());
    assertEquals(serverNode.node().serverSocket().localAddress(), reply.peerAddress(),
        "the FROM_SERVER left from the socket the server chose");
    Holepunch round = server.rounds.get(0);
    assertEquals(3, round.id());
    assertEquals(client.node().socket().localAddress(), round.peerAddress(), "the client as the relay saw it");
  }

  @Test
  void shouldStaySilentAndCountWhenTheServerDeclines() {
    HostPort relay = listenAndAnnounce();
    server.decline = true;

    Throwable handshake = net.failure(client.peerHandshake(target, new byte[] {1}, null, null, relay,
        RequestOptions.DEFAULT.withRetry(false)));
    Throwable round = net.failure(client.peerHolepunch(target, 0, new byte[] {1},
        serverNode.node().socket().localAddress(), relay, RequestOptions.DEFAULT.withRetry(false)));

    assertEquals(DhtException.Code.REQUEST_TIMEOUT, assertInstanceOf(DhtException.class, handshake).code());
    assertEquals(DhtException.Code.REQUEST_TIMEOUT, assertInstanceOf(DhtException.class, round).code());
    assertEquals(2L, serverNode.stats().drops().get(DropReason.SERVER_DECLINED));
  }

  @Test
  void shouldStaySilentCountAndKeepRoutingWhenTheServerThrows() {
    HostPort relay = listenAndAnnounce();
    server.broken = true;

    Throwable handshake = net.failure(client.peerHandshake(target, new byte[] {1}, null, null, relay,
        RequestOptions.DEFAULT.withRetry(false)));

    assertEquals(DhtException.Code.REQUEST_TIMEOUT, assertInstanceOf(DhtException.class, handshake).code());
    assertEquals(1L, serverNode.stats().drops().get(DropReason.SERVER_DECLINED));
    server.broken = false;
    NoiseWrap initiator = NoiseWrap.initiator(HyperDhtCrypto.keyPair(), serverKeys.publicKey());
    RouterClient.HandshakeReply reply = net.await(client.peerHandshake(target, initiator.send(payload()), null, null,
        relay, RequestOptions.DEFAULT));
    assertEquals(Firewall.OPEN, initiator.receive(reply.noise()).firewall(), "the node still routes to the server");
  }

  @Test
  void shouldRefuseASecondServerOnTheSameKeyAndStopRoutingWhenUnlistened() {
    Peer record = new Peer(serverKeys.publicKey(), List.of());
    net.await(serverNode.listen(record, server));
    net.await(serverNode.listen(new Peer(serverKeys.publicKey(), List.of(new HostPort("10.0.0.1", 1))), server));
    HyperDhtException taken = assertInstanceOf(HyperDhtException.class,
        net.failure(serverNode.listen(record, new NoiseServer())));
    assertEquals(HyperDhtException.Code.KEYPAIR_ALREADY_USED, taken.code());
    assertEquals(1, serverNode.stats().localServers());

    assertTrue(net.await(serverNode.unlisten(serverKeys.publicKey())));
    assertFalse(net.await(serverNode.unlisten(serverKeys.publicKey())));
    assertEquals(0, serverNode.stats().localServers());
    assertEquals(0, serverNode.stats().routes());
  }
}
