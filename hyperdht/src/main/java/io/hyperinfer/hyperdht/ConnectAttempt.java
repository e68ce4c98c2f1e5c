package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.Session;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.ConnectTrace.Phase;
import io.hyperinfer.hyperdht.wire.NoisePayload;
import io.hyperinfer.hyperdht.wire.RelayThroughInfo;
import io.hyperinfer.hyperdht.wire.SecretStreamInfo;
import io.hyperinfer.hyperdht.wire.UdxInfo;
import io.hyperinfer.secretstream.RawStream;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamListener;
import io.hyperinfer.udx.UdxSocket;
import io.hyperinfer.udx.UdxStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;

/**
 * One client connect ({@code connect.js connect}, {@code connectThroughNode}, {@code holepunch}):
 * the sole owner of everything the attempt holds (its request session, the lookup, the raw UDX stream, the secret
 * stream once started) under one hard deadline, so a failure, whenever it comes, releases all of it. The relay walk is
 * {@link RelayWalk}; this class builds Noise message 1, accepts the first valid message 2, picks the path
 * ({@link ConnectPath}; a punch is {@link ClientPunch}), starts the secret stream and completes when the server's
 * first bytes (its secret-stream
 * header) arrive. Every step goes into the
 * {@link ConnectTrace} a failure carries.
 *
 * <p>Thread-safe: state is guarded by this object's lock, never held while blocking or calling into UDX.
 */
final class ConnectAttempt implements RelayLink.Control {
  /** One handshake answer accepted. */
  record Handshaken(HostPort relayAddress, boolean relayed, HostPort serverAddress, HostPort clientAddress,
      NoisePayload payload, NoiseWrap.Established established) {}

  final Connections ctx;
  final byte[] publicKey;
  final byte[] target;
  final ConnectOptions options;
  final ConnectTrace trace = ConnectTrace.start();
  final Session session;
  private final SecretStreamListener listener;
  private final NoiseWrap noise;
  private final UdxStream raw;
  private final CompletableFuture<SecretStream> result = new CompletableFuture<>();
  /** Our relayThrough choice as sent in message 1, or null. */
  private final RelayThroughInfo relayThrough;
  private volatile RelayLink relay;
  private final List<HostPort> usedRelays = new ArrayList<>();
  private ScheduledFuture<?> deadline;
  private volatile Thread runner;
  private volatile RelayWalk walk;
  private volatile Holepuncher puncher;
  private volatile Session punchSession;
  private byte[] message1;
  private long ownFirewall;
  private Handshaken handshaken;
  private UdxSocket earlySocket;
  private HostPort earlyAddress;
  private boolean pathTaken;
  /** The stream runs through the relay: a punch or the server's direct packets may still move it (upgrade). */
  private boolean relayedPath;
  private boolean upgraded;
  private UdxSocket upgradedSocket;
  private HostPort upgradedTo;
  /** The relay was let go after an upgrade: its packets are no longer ours to take. */
  private boolean relayReleased;
  private boolean passive;
  private boolean done;
  private SecretStream stream;

  private ConnectAttempt(Connections ctx, byte[] publicKey, ConnectOptions options, SecretStreamListener listener) {
    this.ctx = ctx;
    this.publicKey = publicKey.clone();
    this.target = HyperDhtCrypto.hash(publicKey);
    this.options = options;
    this.listener = listener;
    KeyPair keys = options.keyPair() != null ? options.keyPair() : ctx.defaultKeyPair();
    this.noise = NoiseWrap.initiator(keys, publicKey);
    this.session = ctx.node.session();
    this.raw = ctx.rawStreams.create((s, socket, from) -> onServerPacket(socket, from));
    byte[] relayKey = RelayThrough.selectFrom(options.relayThrough());
    this.relayThrough = relayKey == null ? null : RelayThroughInfo.of(relayKey, io.hyperinfer.crypto.Random.bytes(32));
  }

  /** Starts an attempt; the future completes with the open stream or fails with a traced HyperDhtException. */
  static CompletableFuture<SecretStream> start(Connections ctx, byte[] publicKey, ConnectOptions options,
      SecretStreamListener listener) {
    if (ctx.node.destroyed()) {
      return CompletableFuture.failedFuture(HyperDhtException.nodeDestroyed());
    }
    return begin(ctx, publicKey, options, listener).result;
  }

  /**
   * Starts an attempt and returns it (a relay link needs the raw stream under its control connection).
   *
   * @throws HyperDhtException NODE_DESTROYED when the node is closed
   */
  static ConnectAttempt begin(Connections ctx, byte[] publicKey, ConnectOptions options,
      SecretStreamListener listener) {
    if (ctx.node.destroyed()) {
      throw HyperDhtException.nodeDestroyed();
    }
    ConnectAttempt attempt = new ConnectAttempt(ctx, publicKey, options, listener);
    ctx.attempts.add(attempt);
    attempt.result.whenComplete((s, e) -> {
      if (attempt.result.isCancelled()) { // the caller gave up (JS destroys the pending stream): free what we hold
        attempt.fail(HyperDhtException.connectAborted());
      }
    });
    synchronized (attempt) {
      attempt.deadline = ConnectTimer.schedule(attempt::onDeadline, options.timeout().toMillis());
    }
    Thread.ofVirtual().name("hyperdht-connect").start(attempt::run);
    return attempt;
  }

  /** Completes with the open stream or fails with a traced HyperDhtException. */
  @Override
  public CompletableFuture<SecretStream> result() {
    return result;
  }

  /** The attempt's raw UDX stream (connected once a path was taken). */
  @Override
  public UdxStream rawStream() {
    return raw;
  }

  private void run() {
    runner = Thread.currentThread();
    RelayWalk relays = new RelayWalk(this);
    walk = relays;
    try {
      relays.run();
      Handshaken h;
      synchronized (this) {
        h = handshaken;
        if (done) {
          return;
        }
      }
      if (h == null) {
        fail(relays.attempts() > 0 ? HyperDhtException.peerConnectionFailed() : HyperDhtException.peerNotFound());
        return;
      }
      relayIfAsked(h);
      takePath(h);
    } catch (InterruptedException e) {
      fail(HyperDhtException.peerConnectionFailed());
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  synchronized boolean finished() {
    return done || handshaken != null;
  }

  /** Noise message 1, built once and sent through every relay. */
  synchronized byte[] message1() {
    if (message1 == null) {
      HostPort own = ctx.node.remoteAddress();
      List<HostPort> addresses = new ArrayList<>();
      if (own != null) {
        addresses.add(own);
      }
      if (options.localConnection()) {
        addresses.addAll(Addresses.localAddresses(ctx.node.serverSocket().localAddress()));
      }
      ownFirewall = own != null ? Firewall.OPEN : Firewall.UNKNOWN;
      message1 = noise.send(new NoisePayload(NoisePayload.VERSION, PeerError.NONE, ownFirewall, null, addresses,
          List.of(), UdxInfo.of(false, Integer.toUnsignedLong(raw.id())), SecretStreamInfo.V1, relayThrough, null));
    }
    return message1;
  }

  /** Sends message 1 through {@code relay} and waits until its answer was handled (the seeds' sequential walk). */
  void connectThrough(HostPort relay) {
    handshakeThrough(relay).join();
  }

  /**
   * Sends message 1 through {@code relay}; the first valid answer wins, later ones are ignored. The answer is handled
   * where it arrives, on the node's loop (one Noise message, no blocking), so an accepted handshake wakes the attempt's
   * thread directly instead of through a thread per handshake. The future completes once the answer was handled or
   * the request failed; it never fails.
   */
  CompletableFuture<Void> handshakeThrough(HostPort relay) {
    trace.add(Phase.RELAY, "handshake via " + relay);
    synchronized (this) {
      usedRelays.add(relay);
    }
    CompletableFuture<Void> handled;
    try {
      handled = ctx.node.request(relay, Command.PEER_HANDSHAKE.id(), target,
          RouterClient.handshakeRequest(message1(), null, null), null,
          io.hyperinfer.dht.RequestOptions.DEFAULT.withSession(session)
              .withTimeoutMs(options.handshakeTimeout().toMillis()))
          .thenAccept(res -> onHandshakeReply(relay,
              RouterClient.handshakeReply(relay, res.from().address(), res.to(), res.value())));
    } catch (RuntimeException e) {
      handled = CompletableFuture.failedFuture(e);
    }
    return handled.exceptionally(e -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      trace.add(Phase.RELAY, relay + " failed: " + cause.getMessage());
      return null;
    });
  }

  private void onHandshakeReply(HostPort relay, RouterClient.HandshakeReply reply) {
    HyperDhtException refused = null;
    synchronized (this) {
      if (finished()) {
        return;
      }
      NoisePayload payload;
      try {
        payload = noise.receive(reply.noise());
      } catch (HyperDhtException e) {
        trace.add(Phase.HANDSHAKE, "invalid message 2 via " + relay);
        return;
      }
      if (payload.version() != NoisePayload.VERSION) {
        refused = HyperDhtException.serverIncompatible();
      } else if (payload.error() != PeerError.NONE) {
        refused = HyperDhtException.serverError();
      } else if (payload.udx() == null) {
        refused = HyperDhtException.of(HyperDhtException.Code.SERVER_ERROR, "Server did not send UDX data");
      } else {
        handshaken = new Handshaken(relay, reply.relayed(), reply.serverAddress(), reply.clientAddress(), payload,
            noise.established());
      }
    }
    if (refused != null) {
      fail(refused);
      return;
    }
    trace.add(Phase.HANDSHAKE, (reply.relayed() ? "relayed by " : "answered directly by ") + relay + ", server at "
        + reply.serverAddress());
    session.destroy(); // the lookup and the other relays' handshakes are no longer needed
    RelayWalk w = walk;
    if (w != null) {
      w.wake(); // the path need not wait for the cancelled handshakes to unwind
    }
  }

  private void takePath(Handshaken h) throws InterruptedException {
    UdxSocket early;
    HostPort earlyAt;
    ConnectPath path;
    synchronized (this) {
      early = earlySocket;
      earlyAt = earlyAddress;
      path = ConnectPath.choose(h.relayAddress(), h.relayed(), h.serverAddress(), h.clientAddress(), h.payload(),
          ownFirewall, options.localConnection(), Addresses.localAddresses(ctx.node.serverSocket().localAddress()),
          relay != null);
      passive = path.kind() == ConnectPath.Kind.PASSIVE;
    }
    if (early != null) {
      connectRaw(early, earlyAt, ConnectTrace.Path.SERVER_FIRST);
      return;
    }
    switch (path.kind()) {
      case DIRECT -> connectRaw(ctx.currentSocket(), path.address(), ConnectTrace.Path.DIRECT);
      case OPEN -> connectRaw(ctx.currentSocket(), path.address(), ConnectTrace.Path.OPEN);
      case PASSIVE -> trace.add(Phase.PATH, "we are reachable: waiting for the server's first packet");
      case RELAY -> trace.add(Phase.PATH, "the server offers no relay to punch through: waiting for the blind relay");
      case LAN -> {
        trace.add(Phase.PATH, "LAN ping to " + path.address() + ", punching meanwhile");
        CompletableFuture<Boolean> lan = ctx.node.ping(path.address()).handleAsync((r, e) -> {
          if (e == null) {
            connectRaw(ctx.runtime.udxServerSocket(), path.address(), ConnectTrace.Path.LAN);
          }
          return e == null;
        });
        try {
          punch(h);
        } catch (HyperDhtException e) {
          if (!lan.join()) {
            failUnlessConnected(e); // neither the LAN nor a punch reached the server
          }
        }
      }
      case PUNCH -> {
        try {
          punch(h);
        } catch (HyperDhtException e) {
          failUnlessConnected(e);
        }
      }
    }
  }

  /** A punch round failed: that ends the attempt unless a path was taken or a relay may still pair. */
  private void failUnlessConnected(HyperDhtException e) {
    synchronized (this) {
      if (pathTaken) {
        return;
      }
    }
    RelayLink r = relay;
    if (r != null && !r.paired().isDone()) {
      trace.add(Phase.PATH, e.code().name() + ": waiting for the relay");
      return;
    }
    fail(e);
  }

  /** Either side named a blind relay: pair through it alongside the other paths (JS {@code relayConnection}). */
  private void relayIfAsked(Handshaken h) {
    RelayLink.Plan plan = RelayLink.Plan.of(relayThrough, h.payload(), false);
    if (plan == null) {
      return;
    }
    trace.add(Phase.PATH, "pairing through the blind relay" + (plan.initiator() ? " we chose" : " the server chose"));
    RelayLink link = RelayLink.start(ctx, plan, raw);
    relay = link;
    raw.closed().whenComplete((v, e) -> link.close("the connection's stream closed"));
    link.paired().whenComplete((p, e) -> {
      if (e != null) {
        trace.add(Phase.PATH, "relay: " + e.getMessage());
        relayFailed();
      } else if (!connectRelayed(p)) {
        link.close("another path won first");
      }
    });
  }

  /** The relay gave up: that ends the attempt unless another path was taken or a punch is still running. */
  private void relayFailed() {
    synchronized (this) {
      if (pathTaken || done) {
        return;
      }
    }
    Holepuncher p = puncher; // asked outside our lock: the puncher runs our listeners under its own
    if (p != null && !p.destroyed()) {
      return;
    }
    fail(HyperDhtException.of(HyperDhtException.Code.RELAY_ABORTED));
  }

  /** The relay paired us: the raw stream sends to the relay's stream for our end; a punch may still upgrade it. */
  private boolean connectRelayed(RelayLink.Paired p) {
    synchronized (this) {
      if (done || pathTaken) {
        return false;
      }
      pathTaken = true;
      relayedPath = true;
    }
    raw.closed().whenComplete((v, e) -> stopPunch());
    raw.connect(p.socket(), p.remoteId(), p.relay());
    trace.path(ConnectTrace.Path.RELAYED, new HostPort(p.relay().getAddress().getHostAddress(), p.relay().getPort()), "through the relay at " + p.relay());
    startStream();
    return true;
  }

  /** Punches (JS {@code holepunch} from {@code new Holepuncher}); the connection comes through the puncher. */
  private void punch(Handshaken h) throws InterruptedException {
    Holepuncher p = new Holepuncher(ctx.punchHost, true, h.payload().firewall(), options.birthdaySockets());
    Session s = ctx.node.session(); // the connect's session ended with the handshake
    synchronized (this) {
      if (done || pathTaken) {
        p.destroy();
        return;
      }
      puncher = p;
      punchSession = s;
    }
    p.onConnect(this::onPunched);
    p.onAbort(() -> failUnlessConnected(HyperDhtException.of(HyperDhtException.Code.HOLEPUNCH_ABORTED,
        "the punch ended without a connection")));
    new ClientPunch(ctx.dht::peerHolepunch, target, h, options, p, ctx.punchHost, trace, s).relayed(relay != null).run();
  }

  /** A probe from the server reached a puncher socket: the stream goes back through it, which stays ours. */
  private void onPunched(PunchSocket socket, HostPort from) {
    UdxSocket udx = ((UdxPunchHost.Pooled) socket).udx();
    raw.closed().whenComplete((v, e) -> socket.release());
    Thread.ofVirtual().name("hyperdht-punched").start(() -> {
      if (!connectRaw(udx, from, ConnectTrace.Path.PUNCHED)) {
        socket.release(); // another path won, or the attempt ended
      }
    });
  }

  /** The raw stream's firewall hook: the server's first packet, maybe before we chose a path. */
  private boolean onServerPacket(UdxSocket socket, InetSocketAddress from) {
    RelayLink r = relay;
    boolean viaRelay = r != null && r.isRelayPath(socket, from);
    if (from.getPort() < 1 || !(from.getAddress() instanceof Inet4Address v4)) {
      return false;
    }
    HostPort at = new HostPort(v4.getHostAddress(), from.getPort());
    synchronized (this) {
      if (relayedPath) {
        if (viaRelay) {
          return !relayReleased; // in flight through the relay while the server switches over
        }
        if (upgraded) {
          // the server's direct packets (its acks while ours drain), from where we moved to only
          return socket == upgradedSocket && at.equals(upgradedTo);
        }
      }
    }
    if (viaRelay) {
      return false; // relayed traffic before our pairing answer: the relay path connects on that answer
    }
    if (upgrade(socket, at)) {
      return true; // the server reached us directly (JS onsocket on a connected stream): its bytes count
    }
    synchronized (this) {
      if (done || pathTaken) {
        return false;
      }
      if (handshaken == null) {
        if (earlySocket == null) {
          earlySocket = socket;
          earlyAddress = at;
          trace.add(Phase.PATH, "the server's first packet from " + at + " came before its handshake reply: held");
        }
        return false; // UDX keeps it and processes it once the stream connects to this sender
      }
      pathTaken = true;
    }
    stopPunch();
    raw.connect(socket, (int) handshaken.payload().udx().id(), from); // on the loop: takes effect at once
    trace.path(ConnectTrace.Path.SERVER_FIRST, at, "from " + at);
    Thread.ofVirtual().start(this::startStream);
    return true;
  }

  /** Connects the raw stream and starts the secret stream, unless a path was taken already; whether it did. */
  private boolean connectRaw(UdxSocket socket, HostPort to, ConnectTrace.Path kind) {
    if (upgrade(socket, to)) {
      return true;
    }
    Handshaken h;
    synchronized (this) {
      if (done || pathTaken) {
        return false;
      }
      pathTaken = true;
      h = handshaken;
    }
    stopPunch();
    raw.connect(socket, (int) h.payload().udx().id(), new InetSocketAddress(InetAddress.ofLiteral(to.host()),
        to.port()));
    trace.path(kind, to, to + " from " + socket.localAddress());
    startStream();
    return true;
  }

  /**
   * Moves a relayed stream to {@code to} through {@code socket} (JS {@code changeRemote} and
   * {@code confirmDirectUpgrade}): once everything sent through the relay is acked, the stream sends there; an empty
   * datagram tells the server at once, and the relay is let go the options' {@code relayLinger} after the server's
   * first bytes, time for the server to switch too. Whether the stream was relayed and not upgraded yet.
   */
  private boolean upgrade(UdxSocket socket, HostPort to) {
    Handshaken h;
    synchronized (this) {
      if (!relayedPath || upgraded || relayReleased) {
        return false;
      }
      upgraded = true;
      upgradedSocket = socket;
      upgradedTo = to;
      h = handshaken;
    }
    stopPunch();
    trace.add(Phase.PATH, "upgrading the relayed stream to " + to + " from " + socket.localAddress());
    raw.changeRemote(socket, (int) h.payload().udx().id(),
        new InetSocketAddress(InetAddress.ofLiteral(to.host()), to.port())).whenComplete((v, e) -> {
          if (e != null) {
            return;
          }
          ctx.relayStats.upgrades.incrementAndGet();
          try {
            raw.send(new byte[0]);
          } catch (RuntimeException closed) {
            return;
          }
          // the linger runs from the server's first bytes: before them the server may not have switched yet, and
          // its header, still on its way through the relay, would be lost with it
          result.thenRun(() -> ConnectTimer.schedule(() -> {
            releaseRelay();
            ctx.relayStats.releases.incrementAndGet();
          }, options.relayLinger().toMillis()));
        });
    return true;
  }

  private void releaseRelay() {
    synchronized (this) {
      relayReleased = true;
    }
    RelayLink r = relay;
    if (r != null) {
      r.close("the connection upgraded and released the relay");
    }
  }

  private void startStream() {
    Handshaken h;
    List<HostPort> relays;
    synchronized (this) {
      if (done) {
        return;
      }
      h = handshaken;
      relays = List.copyOf(usedRelays);
    }
    List<HostPort> offered = h.payload().relayAddresses();
    ctx.relayAddresses.put(publicKey, offered != null && !offered.isEmpty() ? offered : relays);
    SecretStream s = SecretStream.builder(RawStream.of(raw), true).handshake(h.established().toHandshakeResult())
        .keepAlive(options.keepAlive()).listener(listener).start();
    synchronized (this) {
      if (done) {
        s.destroy();
        return;
      }
      stream = s;
    }
    // the server's header, its first bytes: only then is the path proven (a stream that merely started proves
    // nothing, which is how JS connects end up half-open, hyperdht#304 and PR #281)
    s.peerOpened().whenComplete((r, e) -> {
      if (e != null) {
        fail(HyperDhtException.of(HyperDhtException.Code.PEER_CONNECTION_FAILED,
            "the stream closed before the server's first bytes: " + e.getMessage()));
      } else {
        succeed(s);
      }
    });
  }

  private void succeed(SecretStream s) {
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      deadline.cancel(false);
    }
    trace.add(Phase.FIRST_BYTE, "the server's secret-stream header arrived");
    ctx.attempts.remove(this);
    report();
    if (!result.complete(s)) {
      s.destroy(); // cancelled as it opened: nobody holds this stream
    }
  }

  private void onDeadline() {
    boolean shook;
    synchronized (this) {
      shook = handshaken != null;
    }
    HyperDhtException.Code code = shook || trace.has(Phase.RELAY) ? HyperDhtException.Code.PEER_CONNECTION_FAILED
        : HyperDhtException.Code.PEER_NOT_FOUND; // no record found and no relay tried: nothing answered for the key
    fail(HyperDhtException.of(code, "no connection within " + options.timeout().toMillis() + " ms"
        + (passive ? " (the server never reached us)" : "")));
  }

  /** Fails the attempt once and releases everything it holds. */
  void fail(Throwable cause) {
    SecretStream s;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      s = stream;
      if (deadline != null) {
        deadline.cancel(false);
      }
    }
    HyperDhtException e = cause instanceof HyperDhtException h ? h
        : HyperDhtException.of(HyperDhtException.Code.PEER_CONNECTION_FAILED, String.valueOf(cause));
    trace.add(Phase.FAILED, e.code().name());
    Thread r = runner;
    if (r != null && r != Thread.currentThread()) {
      r.interrupt(); // wakes the walk if it waits for a lookup or a handshake slot
    }
    ctx.attempts.remove(this);
    report();
    result.completeExceptionally(e.withTrace(trace)); // before the stream closes, so its listener sees this cause
    session.destroy();
    stopPunch();
    RelayLink link = relay;
    if (link != null) {
      link.destroy("the connect failed: " + e.getMessage());
    }
    if (s != null) {
      s.destroy();
    } else {
      raw.destroy();
    }
  }

  /** Ends a punch still running (another path won, or the attempt ended); its sockets are released. */
  private void stopPunch() {
    Holepuncher p = puncher;
    Session s = punchSession;
    if (p != null) {
      p.onAbort(() -> {});
      p.destroy();
    }
    if (s != null) {
      s.destroy();
    }
  }

  private void report() {
    if (options.traceSink() != null) {
      try {
        options.traceSink().accept(trace);
      } catch (RuntimeException e) {
        // a diagnostics hook must not change the outcome
      }
    }
  }

  /** Fails the attempt with {@code NODE_DESTROYED} (the node closes). */
  void abort() {
    fail(HyperDhtException.nodeDestroyed());
  }
}
