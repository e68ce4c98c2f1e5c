package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.IncomingRequest;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Holepunch;
import io.hyperinfer.hyperdht.wire.HolepunchPayload;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A server's side of one handshake's holepunch ({@code server.js _onpeerholepunch}, {@code _abort}): it opens each
 * round the client sends through a relay, updates its puncher with the client's view, waits for its own NAT verdict,
 * fires the fast-open probe when the client already opened a session to our address, starts punching when the client
 * does (after the veto and the random-punch throttle), and answers with its own view from the puncher socket.
 *
 * <p>Thread-safe: its state is guarded by this object's lock; rounds arrive on the node loop.
 */
final class ServerPunch {
  private final SecurePayload payload;
  private final Holepuncher puncher;
  private final boolean replyFromPuncher;
  private final HolepunchVeto veto;
  private final Predicate<HostPort> ownRelay;
  private final PunchHost host;
  private final Supplier<DhtSocket> nodeSocket;
  private final Runnable onPunching;
  private final Executor punchStarter;
  private long round;
  private volatile boolean relayed;

  /**
   * @param replyFromPuncher whether the handshake answer leaves from the puncher socket (the client then aims at it)
   * @param ownRelay whether an address is one of the relays this server announced to (JS {@code announcer.isRelay}):
   *     only a round through one of them gets our token
   * @param nodeSocket the socket the node sends from now, where aborts leave from (JS {@code dht.socket})
   * @param onPunching runs when the client starts punching (the handshake's first-packet wait ends: the punch has its
   *     own)
   * @param punchStarter where the punch starts (its sockets open): off the node loop on UDX
   */
  ServerPunch(SecurePayload payload, Holepuncher puncher, boolean replyFromPuncher, HolepunchVeto veto,
      Predicate<HostPort> ownRelay, PunchHost host, Supplier<DhtSocket> nodeSocket, Runnable onPunching,
      Executor punchStarter) {
    this.payload = payload;
    this.puncher = puncher;
    this.replyFromPuncher = replyFromPuncher;
    this.veto = veto;
    this.ownRelay = ownRelay;
    this.host = host;
    this.nodeSocket = nodeSocket;
    this.onPunching = onPunching;
    this.punchStarter = punchStarter;
  }

  /** A blind relay carries this connection meanwhile: a throttled punch waits (TRY_LATER) instead of aborting. */
  void relayed() {
    relayed = true;
  }

  Holepuncher puncher() {
    return puncher;
  }

  /** The socket the handshake answer leaves from: the puncher's, or null for the receiving one. */
  DhtSocket answerSocket() {
    return replyFromPuncher && !puncher.destroyed() ? puncher.socket().dhtSocket() : null;
  }

  /** The answer to one round (FROM_RELAY, with the client's address), or null for silence. */
  CompletableFuture<LocalServer.Answer> onRound(Holepunch hp, IncomingRequest req) {
    HolepunchPayload remote = payload.decrypt(hp.payload()).orElse(null);
    if (remote == null) {
      return null;
    }
    if (puncher.destroyed()) {
      return null; // punched, given up or timed out: JS stays silent for a destroyed puncher
    }
    HostPort peer = hp.peerAddress();
    boolean viaOwnRelay = ownRelay.test(req.from().address());
    if (remote.error() != PeerError.NONE) {
      synchronized (this) {
        round = Math.max(round, remote.round());
      }
      return CompletableFuture.completedFuture(abort(PeerError.ABORTED));
    }
    byte[] token = payload.token(peer.host());
    boolean echoed = viaOwnRelay && remote.remoteToken() != null && Arrays.equals(token, remote.remoteToken());
    if (req.socket() == puncher.socket().dhtSocket()) {
      puncher.addSample(req.to(), req.from().address());
    }
    synchronized (this) {
      if (remote.round() >= round) {
        round = remote.round();
        puncher.updateRemote(remote.punching(), remote.firewall(), remote.addresses(), echoed ? peer.host() : null);
      }
    }
    return puncher.analyze(false).thenCompose(stable -> {
      if (puncher.destroyed()) {
        return CompletableFuture.completedFuture(null);
      }
      if (!puncher.remoteHolepunching() && !stable) {
        return puncher.analyze(true).thenCompose(again -> puncher.destroyed() ? CompletableFuture.completedFuture(null)
            : again ? afterAnalysis(remote, peer, viaOwnRelay, token)
            : CompletableFuture.completedFuture(abort(PeerError.ABORTED)));
      }
      return afterAnalysis(remote, peer, viaOwnRelay, token);
    });
  }

  private CompletableFuture<LocalServer.Answer> afterAnalysis(HolepunchPayload remote, HostPort peer,
      boolean viaOwnRelay, byte[] token) {
    long own = puncher.firewall();
    if ((own == Firewall.OPEN || own == Firewall.CONSISTENT) && remote.remoteAddress() != null
        && sameAddress(puncher.addresses(), remote.remoteAddress())) {
      puncher.ping(peer); // fast open: the client opened a session to this address, so this probe gets through
    }
    if (puncher.remoteHolepunching()) {
      if (!veto.allow(puncher.remoteFirewall(), own, puncher.remoteAddresses().stream()
          .map(Holepuncher.RemoteAddress::address).toList(), puncher.addresses())) {
        return CompletableFuture.completedFuture(puncher.destroyed() ? null : abort(PeerError.ABORTED));
      }
      onPunching.run();
      // the throttle guards starting a punch: a round repeated while ours runs (the client's retry of an answer
      // that came late) would meet the very random punch ours holds, and aborting then closes the socket the
      // client may already have connected to
      if (!puncher.punchStarted() && (puncher.remoteFirewall() >= Firewall.RANDOM || own >= Firewall.RANDOM)
          && !host.randomPunches().allowed(host.nowMs())) {
        host.stats().tryLater.incrementAndGet();
        // with a blind relay carrying the connection the client asks again later; without one it gives up
        return CompletableFuture.completedFuture(relayed ? reply(PeerError.TRY_LATER, remote,
            viaOwnRelay ? token : null) : abort(PeerError.TRY_LATER));
      }
      // off the node loop: a punch from behind a randomising NAT opens up to birthdaySockets sockets first (seconds
      // on a loaded machine), and the loop must keep taking the client's packets meanwhile (its stream may already
      // have connected to the first of them); the answer waits for the opening, as JS's does
      return CompletableFuture.supplyAsync(puncher::punch, punchStarter).thenApply(started -> {
        if (puncher.destroyed()) {
          return null;
        }
        return started ? punchingReply(remote, viaOwnRelay, token) : abort(PeerError.ABORTED);
      });
    }
    return CompletableFuture.completedFuture(punchingReply(remote, viaOwnRelay, token));
  }

  private LocalServer.Answer punchingReply(HolepunchPayload remote, boolean viaOwnRelay, byte[] token) {
    if (puncher.firewall() != Firewall.UNKNOWN) {
      puncher.freeze(); // what we tell the client now must stay true
    }
    return reply(PeerError.NONE, remote, viaOwnRelay ? token : null);
  }

  private LocalServer.Answer reply(long error, HolepunchPayload remote, byte[] token) {
    long r;
    synchronized (this) {
      r = round;
    }
    byte[] sealed = payload.encrypt(new HolepunchPayload(error, puncher.firewall(), r, puncher.connected(),
        puncher.punching(), puncher.addresses(), null, token, remote.token()));
    return new LocalServer.Answer(sealed, puncher.socket().dhtSocket());
  }

  /** An ABORTED (or TRY_LATER) round from the node's socket; the puncher is destroyed. */
  private LocalServer.Answer abort(long error) {
    long r;
    synchronized (this) {
      r = round;
    }
    byte[] sealed = payload.encrypt(new HolepunchPayload(error, Firewall.UNKNOWN, r, false, false, null, null, null,
        null));
    puncher.destroy();
    return new LocalServer.Answer(sealed, nodeSocket.get());
  }

  private static boolean sameAddress(List<HostPort> addresses, HostPort other) {
    return addresses != null && addresses.contains(other);
  }
}
