package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.VirtualNatNet.Kind;
import io.hyperinfer.hyperdht.wire.HolepunchInfo;
import io.hyperinfer.hyperdht.wire.HolepunchInfo.RelayInfo;
import io.hyperinfer.hyperdht.wire.HolepunchPayload;
import io.hyperinfer.hyperdht.wire.NoisePayload;
import io.hyperinfer.hyperdht.wire.SecretStreamInfo;
import io.hyperinfer.hyperdht.wire.UdxInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A client's {@link ClientPunch} against a scripted server: the client's puncher runs on a {@link VirtualNatNet}
 * side, the server is a scripted {@link ClientPunch.Rounds} that opens each round with the shared holepunch secret and
 * answers what {@link #server} says. Records every round sent, where it went, and every wait. Confined to the test
 * thread.
 */
final class ClientPunchFixture {
  static final HostPort SERVER = new HostPort("2.2.2.2", 3000);
  static final HostPort CLIENT = new HostPort("1.1.1.1", 4000);
  static final HostPort RELAY = new HostPort("9.0.0.1", 49737);
  static final RelayInfo SERVER_RELAY = new RelayInfo(new HostPort("9.0.0.2", 49737), new HostPort("2.2.2.2", 3001));

  /** One round as the client sent it. */
  record Sent(HolepunchPayload payload, HostPort peerAddress, HostPort via) {}

  /** The server's answer to a round: the reply future (sealed payload inside), given the opened round. */
  @FunctionalInterface
  interface Server {
    CompletableFuture<RouterClient.HolepunchReply> answer(Sent round);
  }

  final VirtualNatNet net = new VirtualNatNet(31, 10);
  final VirtualNatNet.Side side;
  final byte[] secret = HyperDhtCrypto.hash("client punch secret".getBytes());
  final SecurePayload serverSeal = new SecurePayload(secret);
  final Holepuncher puncher;
  final List<Sent> sent = new ArrayList<>();
  final List<Long> pauses = new ArrayList<>();
  final ConnectTrace trace = ConnectTrace.start();
  Server server;

  ClientPunchFixture(Kind kind) {
    side = net.side("1.1.1.1", kind);
    puncher = new Holepuncher(side, true, Firewall.RANDOM, 8);
    server = round -> reply(round, payload(PeerError.NONE, Firewall.CONSISTENT, round.payload(), true));
  }

  /** A server payload answering {@code round}: our addresses, no tokens. */
  static HolepunchPayload payload(long error, long firewall, HolepunchPayload round, boolean punching) {
    return new HolepunchPayload(error, firewall, round.round(), false, punching, List.of(SERVER), null, null, null);
  }

  /** The reply the relay forwards: {@code payload} sealed, the client seen at {@code CLIENT}. */
  CompletableFuture<RouterClient.HolepunchReply> reply(Sent round, HolepunchPayload payload) {
    return reply(round, payload, CLIENT, round.peerAddress());
  }

  CompletableFuture<RouterClient.HolepunchReply> reply(Sent round, HolepunchPayload payload, HostPort clientSeen,
      HostPort serverAt) {
    return CompletableFuture.completedFuture(new RouterClient.HolepunchReply(round.via(), clientSeen,
        serverSeal.encrypt(payload), serverAt));
  }

  /** Where the relay {@code via} sees the puncher's current socket. */
  HostPort clientSeenBy(HostPort via) {
    return new HostPort("1.1.1.1", ((VirtualNatNet.Socket) puncher.socket()).mapping(via));
  }

  /** The client punch, with the server's relay list {@code relays} and these options. */
  ClientPunch punch(boolean relayed, ConnectOptions options, List<RelayInfo> relays) {
    ClientPunch.Rounds rounds = (target, id, sealed, peerAddress, via, requestOptions) -> {
      Sent round = new Sent(serverSeal.decrypt(sealed).orElseThrow(), peerAddress, via);
      sent.add(round);
      return server.answer(round);
    };
    byte[] k = new byte[32];
    NoisePayload payload = new NoisePayload(NoisePayload.VERSION, PeerError.NONE, Firewall.UNKNOWN,
        new HolepunchInfo(1, relays), List.of(), List.of(), UdxInfo.of(false, 1), SecretStreamInfo.V1, null, null);
    ConnectAttempt.Handshaken h = new ConnectAttempt.Handshaken(RELAY, true, SERVER, CLIENT, payload,
        new NoiseWrap.Established(true, k, k, k, k, k, secret));
    return new ClientPunch(rounds, k, h, options, puncher, side, trace, null).relayed(relayed)
        .pauses(pauses::add);
  }

  ClientPunch punch(boolean relayed, ClientPunch.Pause pause) {
    return punch(relayed, ConnectOptions.DEFAULT, List.of(SERVER_RELAY)).pauses(pause);
  }

  /** Lets the puncher's NAT sampling finish on virtual time, so the probe round's analysis does not wait. */
  ClientPunchFixture sampled() {
    net.runFor(1_000);
    return this;
  }

  /** Replies to every round with {@code f}'s payload. */
  void answering(Function<Sent, HolepunchPayload> f) {
    server = round -> reply(round, f.apply(round));
  }

  Sent last() {
    return sent.getLast();
  }
}
