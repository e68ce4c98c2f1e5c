package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.dht.Session;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.ConnectTrace.Phase;
import io.hyperinfer.hyperdht.wire.HolepunchInfo.RelayInfo;
import io.hyperinfer.hyperdht.wire.HolepunchPayload;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A client's holepunch rounds ({@code connect.js holepunch}, {@code probeRound}, {@code roundPunch},
 * {@code updateHolepunch}, {@code abort}): every round is a PEER_HOLEPUNCH sent from the puncher socket through the
 * server's relay. The probe round (after a low-TTL probe to the server's address as its relay saw it, unless fast open
 * is off) exchanges both NAT views; unknown or doubly random NATs abort it. Then, unless vetoed, the punching round
 * carries our token for the server's host and echoes the server's, and both sides start punching. The connection
 * itself arrives through the puncher's connect listener, possibly during the probe round (fast open).
 *
 * <p>Blocking: runs on the connect's virtual thread. Not thread-safe; its puncher is.
 */
final class ClientPunch {
  /** What the probe round learned: the server's token, and its puncher socket as the relay saw it. */
  private record Probe(byte[] token, HostPort peerAddress) {}

  /** A round's answer: the server's payload, and the addresses of the request. */
  private record Round(HolepunchPayload payload, HostPort to, HostPort from, HostPort peerAddress, boolean tryLater) {}

  /** JS {@code tryLater}: 10 s plus up to 10 s more before a throttled random punch asks again. */
  static final long TRY_LATER_MS = 10_000;
  /** JS {@code probeRound}: a server whose NAT is still unknown gets a second to finish sampling. */
  static final long UNKNOWN_WAIT_MS = 1_000;

  private final Rounds rounds;
  private final byte[] target;
  private final ConnectAttempt.Handshaken handshaken;
  private final ConnectOptions options;
  private final Holepuncher puncher;
  private final SecurePayload secure;
  private final PunchHost host;
  private final ConnectTrace trace;
  private final Session session;
  private final long holepunchId;
  private long round;
  private boolean relayed;
  private Pause pause = Thread::sleep;

  /** Sends one round through a relay ({@link HyperDht#peerHolepunch}; tests answer as the server). */
  @FunctionalInterface
  interface Rounds {
    CompletableFuture<RouterClient.HolepunchReply> send(byte[] target, long holepunchId, byte[] payload,
        HostPort peerAddress, HostPort relay, RequestOptions options);
  }

  /** How the waits (TRY_LATER, a server still sampling) pass (tests pass time themselves). */
  @FunctionalInterface
  interface Pause {
    void sleep(long ms) throws InterruptedException;
  }

  ClientPunch(Rounds rounds, byte[] target, ConnectAttempt.Handshaken handshaken, ConnectOptions options,
      Holepuncher puncher, PunchHost host, ConnectTrace trace, Session session) {
    this.rounds = rounds;
    this.target = target;
    this.handshaken = handshaken;
    this.options = options;
    this.puncher = puncher;
    this.host = host;
    this.trace = trace;
    this.session = session;
    this.secure = new SecurePayload(handshaken.established().holepunchSecret());
    this.holepunchId = handshaken.payload().holepunch().id();
  }

  /** A blind relay carries the connection meanwhile: a throttled random punch waits and retries (TRY_LATER). */
  ClientPunch relayed(boolean on) {
    relayed = on;
    return this;
  }

  ClientPunch pauses(Pause p) {
    pause = p;
    return this;
  }

  /**
   * Runs the rounds until both sides punch (or the fast-open probe connected us first).
   *
   * @throws HyperDhtException how the punch was refused or aborted; the puncher is destroyed then
   * @throws InterruptedException when the attempt ended meanwhile
   */
  void run() throws InterruptedException {
    List<RelayInfo> relays = handshaken.payload().holepunch().relays();
    RelayInfo serverRelay = relays.stream().filter(r -> r.relayAddress().equals(handshaken.relayAddress()))
        .findFirst().orElse(relays.get(0));
    HostPort serverAddress = handshaken.serverAddress();
    try {
      Probe probe = probeRound(options.fastOpen() ? serverAddress : null, serverRelay, true);
      if (probe == null) {
        return;
      }
      if (serverRelay.relayAddress().equals(handshaken.relayAddress())
          && !serverAddress.equals(probe.peerAddress())) {
        serverAddress = probe.peerAddress(); // the server answered from another socket than the relay first saw
        puncher.openSession(serverAddress);
      }
      if (done()) {
        return;
      }
      if (!options.holepunch().allow(puncher.remoteFirewall(), puncher.firewall(), remoteAddresses(),
          puncher.addresses())) {
        throw abort(serverRelay, HyperDhtException.of(HyperDhtException.Code.HOLEPUNCH_ABORTED,
            "Client aborted holepunch"));
      }
      punchRound(serverAddress, probe.token(), serverRelay, false);
    } catch (HyperDhtException e) {
      puncher.onAbort(() -> {});
      puncher.destroy();
      throw e;
    } catch (CompletionException e) {
      puncher.onAbort(() -> {});
      puncher.destroy();
      throw e.getCause() instanceof HyperDhtException h ? h : HyperDhtException.of(
          HyperDhtException.Code.PEER_CONNECTION_FAILED, "holepunch round failed: " + e.getCause());
    }
  }

  private boolean done() {
    return puncher.connected() || puncher.destroyed();
  }

  private Probe probeRound(HostPort serverAddress, RelayInfo serverRelay, boolean retry) throws InterruptedException {
    if (serverAddress != null) {
      puncher.openSession(serverAddress);
    }
    if (done()) {
      return null;
    }
    Round reply = update(serverRelay.peerAddress(), serverRelay.relayAddress(), new HolepunchPayload(PeerError.NONE,
        puncher.firewall(), round++, false, false, puncher.addresses(), serverAddress, null, null));
    if (done()) {
      return null;
    }
    puncher.addSample(reply.to(), reply.from());
    // (JS also reads a field `address` here that its payload never has, so it never opens a second session: neither
    // do we)
    if (puncher.remoteFirewall() == Firewall.UNKNOWN) {
      pause.sleep(UNKNOWN_WAIT_MS); // the server may still be sampling; its fast-open probe may arrive meanwhile
      if (done()) {
        return null;
      }
    }
    boolean stable = puncher.analyze(false).join();
    if (done()) {
      return null;
    }
    if (!stable) {
      stable = puncher.analyze(true).join();
      if (done()) {
        return null;
      }
      if (stable) {
        return probeRound(serverAddress, serverRelay, false);
      }
    }
    byte[] token = reply.payload().token();
    if ((puncher.remoteFirewall() == Firewall.UNKNOWN || token == null) && retry) {
      return probeRound(serverAddress, serverRelay, false);
    }
    if (puncher.remoteFirewall() == Firewall.UNKNOWN || puncher.firewall() == Firewall.UNKNOWN) {
      throw abort(serverRelay, HyperDhtException.holepunchProbeTimeout());
    }
    if (puncher.remoteFirewall() >= Firewall.RANDOM && puncher.firewall() >= Firewall.RANDOM) {
      throw abort(serverRelay, HyperDhtException.holepunchDoubleRandomizedNats());
    }
    return new Probe(token, reply.peerAddress());
  }

  /**
   * The punching round ({@code roundPunch}). A random punch over the node's limit gives up, unless a blind relay
   * carries the connection: then the server is told we are not punching yet (once), we wait ({@link #tryLater}) and
   * ask again, from then on through the server's own relay; a server over its limit answers TRY_LATER likewise.
   */
  void punchRound(HostPort serverAddress, byte[] remoteToken, RelayInfo serverRelay, boolean delayed)
      throws InterruptedException {
    puncher.freeze(); // our view is final now that we tell it
    boolean random = puncher.remoteFirewall() >= Firewall.RANDOM || puncher.firewall() >= Firewall.RANDOM;
    RandomPunches throttle = host.randomPunches();
    while (random && !throttle.allowed(host.nowMs())) {
      if (!relayed) {
        throw HyperDhtException.holepunchAborted();
      }
      if (!delayed) {
        delayed = true;
        update(serverAddress, handshaken.relayAddress(), new HolepunchPayload(PeerError.NONE, puncher.firewall(),
            round++, false, false, puncher.addresses(), null, secure.token(serverAddress.host()), remoteToken));
        if (done()) {
          return;
        }
      }
      if (!tryLater()) {
        return;
      }
    }
    if (random) {
      throttle.begin();
    }
    Round reply;
    try {
      reply = update(delayed ? serverRelay.peerAddress() : serverAddress,
          delayed ? serverRelay.relayAddress() : handshaken.relayAddress(), new HolepunchPayload(PeerError.NONE,
              puncher.firewall(), round++, false, true, puncher.addresses(), null,
              delayed ? null : secure.token(serverAddress.host()), remoteToken));
    } finally {
      if (random) {
        throttle.end(host.nowMs(), false);
      }
    }
    if (done()) {
      return;
    }
    if (reply.tryLater()) {
      if (tryLater()) {
        punchRound(serverAddress, remoteToken, serverRelay, true);
      }
      return;
    }
    if (!puncher.remoteHolepunching()) {
      throw HyperDhtException.remoteNotHolepunching();
    }
    if (!puncher.punch()) {
      throw HyperDhtException.remoteNotHolepunchable();
    }
    trace.add(Phase.PUNCH, "punching: ours " + Firewall.name(puncher.firewall()) + " " + puncher.addresses()
        + ", theirs " + Firewall.name(puncher.remoteFirewall()) + " " + remoteAddresses());
  }

  /** One round through {@code relay} to the server at {@code peerAddress}; its answer updates the puncher. */
  private Round update(HostPort peerAddress, HostPort relay, HolepunchPayload payload) {
    RouterClient.HolepunchReply reply = rounds.send(target, holepunchId, secure.encrypt(payload), peerAddress,
        relay, RequestOptions.DEFAULT.withSocket(puncher.socket().dhtSocket()).withSession(session)).join();
    HolepunchPayload remote = secure.decrypt(reply.payload()).orElseThrow(HyperDhtException::holepunchInvalid);
    trace.add(Phase.PUNCH, "round " + payload.round() + (payload.punching() ? " (punching)" : "") + " via " + relay
        + ": server " + Firewall.name(remote.firewall()) + " " + remote.addresses() + ", error " + remote.error());
    if (remote.error() == PeerError.TRY_LATER && relayed && payload.punching()) {
      return new Round(remote, reply.to(), reply.from(), reply.peerAddress(), true);
    }
    if (remote.error() != PeerError.NONE) {
      throw HyperDhtException.of(HyperDhtException.Code.REMOTE_ABORTED, "Remote aborted with error code "
          + remote.error());
    }
    boolean echoed = remote.remoteToken() != null && payload.token() != null
        && Arrays.equals(remote.remoteToken(), payload.token());
    puncher.updateRemote(remote.punching(), remote.firewall(), remote.addresses(),
        echoed ? peerAddress.host() : null);
    return new Round(remote, reply.to(), reply.from(), reply.peerAddress(), false);
  }

  /** Waits 10-20 s (JS {@code tryLater}); false when the punch ended meanwhile (a relay path won, or we failed). */
  private boolean tryLater() throws InterruptedException {
    trace.add(Phase.PUNCH, "TRY_LATER: the random punch waits while the relay carries the connection");
    long total = TRY_LATER_MS + java.util.concurrent.ThreadLocalRandom.current().nextLong(TRY_LATER_MS);
    for (long waited = 0; waited < total; waited += 250) {
      if (done()) {
        return false;
      }
      pause.sleep(Math.min(250, total - waited));
    }
    return !done();
  }

  /** Tells the server we give up (best effort), destroys the puncher, and returns {@code error} to throw. */
  private HyperDhtException abort(RelayInfo serverRelay, HyperDhtException error) {
    try {
      update(serverRelay.peerAddress(), serverRelay.relayAddress(), new HolepunchPayload(PeerError.ABORTED,
          Firewall.UNKNOWN, round++, false, false, null, null, null, null));
    } catch (RuntimeException e) {
      // the server will time out instead
    }
    puncher.onAbort(() -> {});
    puncher.destroy();
    return error;
  }

  private List<HostPort> remoteAddresses() {
    return puncher.remoteAddresses().stream().map(Holepuncher.RemoteAddress::address).toList();
  }
}
