package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.IncomingRequest;
import io.hyperinfer.dht.LoopTimer;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Handshake;
import io.hyperinfer.hyperdht.wire.Holepunch;
import io.hyperinfer.hyperdht.wire.HolepunchInfo;
import io.hyperinfer.hyperdht.wire.NoisePayload;
import io.hyperinfer.hyperdht.wire.RelayThroughInfo;
import io.hyperinfer.hyperdht.wire.SecretStreamInfo;
import io.hyperinfer.hyperdht.wire.UdxInfo;
import io.hyperinfer.secretstream.ConnectionLimiter;
import io.hyperinfer.udx.UdxSocket;
import io.hyperinfer.udx.UdxStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A listening server's handshakes ({@code server.js _onpeerhandshake}, {@code _addHandshake}, {@code _clearLater}),
 * without holepunching: each distinct Noise message 1 gets a slot in {@link HandshakeSlots}; the firewall judges the
 * client's proven key (a rejection is silence); the raw UDX stream is created before the answer, so the client's
 * first packet is never lost; the stream is connected at once when the client is reachable (it said it is OPEN, or it
 * came straight to this node), else on the client's first packet, arriving on any of the node's sockets; a stream
 * that sees no packet within {@link ServerOptions#firstPacketWait()} is destroyed. Each connected stream becomes a
 * {@link HyperDhtConnection} for the handler.
 *
 * <p>Confined to the node loop: the router calls it there, and the raw streams' firewall hooks run on the loop of the
 * socket a packet arrived on, which is the node's (a node's sockets and streams share its {@code Udx}'s loop).
 */
final class ServerHandshakes {
  /** What a pending slot holds until its stream connects or is given up. */
  private static final class Pending {
    final UdxStream raw;
    final ConnectionLimiter<String>.Admission admission;
    final AtomicBoolean claimed = new AtomicBoolean();
    NoiseWrap.Established established;
    int remoteUdxId;
    LoopTimer timer;
    ServerPunch punch;
    RelayLink relay;
    /** Connected through the relay; the client's direct packets may still move the stream (upgrade). */
    boolean relayed;
    boolean upgraded;
    UdxSocket upgradedSocket;
    InetSocketAddress upgradedFrom;
    boolean relayReleased;

    Pending(UdxStream raw, ConnectionLimiter<String>.Admission admission) {
      this.raw = raw;
      this.admission = admission;
      raw.closed().whenComplete((v, e) -> admission.close()); // the connection's hold ends with its stream
    }
  }

  private final Connections connections;
  private final ServerOptions options;
  private final KeyPair keyPair;
  private final Announcer announcer;
  private final ConnectionHandler handler;
  private final HandshakeSlots<Pending> slots;
  private final ConnectionLimiter<String> limiter;
  private long duplicates;
  private long invalid;
  private long firewalled;
  private long expired;
  private long evicted;
  private long accepted;

  ServerHandshakes(Connections connections, ServerOptions options, KeyPair keyPair, Announcer announcer,
      ConnectionHandler handler) {
    this.connections = connections;
    this.options = options;
    this.keyPair = keyPair;
    this.announcer = announcer;
    this.handler = handler;
    this.slots = new HandshakeSlots<>(options.handshakeClearWait().toMillis(), options.maxSettledHandshakes());
    this.limiter = new ConnectionLimiter<>(options.limits());
  }

  /**
   * Noise message 2 for {@code handshake} (the same for every copy of one message 1) and the socket it leaves from,
   * or null for silence.
   */
  LocalServer.Answer answer(Handshake handshake, IncomingRequest request) {
    long now = connections.node.nowMs();
    String key = HexFormat.of().formatHex(handshake.noise());
    HandshakeSlots.Slot<Pending> known = slots.find(key, now);
    if (known != null) {
      duplicates++;
      return answerOf(known);
    }
    boolean direct = handshake.peerAddress() == null;
    HostPort client = direct ? request.from().address() : handshake.peerAddress();
    AtomicReference<HandshakeSlots.Slot<Pending>> admitted = new AtomicReference<>();
    Optional<ConnectionLimiter<String>.Admission> admission = limiter.admit(client.host(),
        () -> evict(admitted.get())); // runs here, on the loop, when this admission evicts another
    if (admission.isEmpty()) {
      return null; // over a cap: silence before any crypto, counted by the limiter
    }
    HandshakeSlots.Slot<Pending> slot = slots.add(key, now);
    admitted.set(slot);
    slot.answer = respond(slot, admission.get(), handshake.noise(), client,
        direct ? connections.udxSocket(request.socket()) : null, request.to(),
        direct ? null : request.from().address());
    return answerOf(slot);
  }

  /** The slot's message 2, from the puncher socket when the client is to aim its punch there. */
  private static LocalServer.Answer answerOf(HandshakeSlots.Slot<Pending> slot) {
    if (slot.answer == null) {
      return null;
    }
    Pending p = slot.state;
    return new LocalServer.Answer(slot.answer, p == null || p.punch == null ? null : p.punch.answerSocket());
  }

  /** A client's holepunch round for one of this server's slots, or null for silence. */
  java.util.concurrent.CompletableFuture<LocalServer.Answer> holepunch(Holepunch hp, IncomingRequest request) {
    HandshakeSlots.Slot<Pending> slot = slots.byId(hp.id(), connections.node.nowMs());
    Pending p = slot == null ? null : slot.state;
    return p == null || p.punch == null ? null : p.punch.onRound(hp, request);
  }

  private byte[] respond(HandshakeSlots.Slot<Pending> slot, ConnectionLimiter<String>.Admission admission,
      byte[] message1, HostPort client, UdxSocket direct, HostPort serverAddress, HostPort forwardedBy) {
    NoiseWrap noise = NoiseWrap.responder(keyPair);
    NoisePayload remote;
    try {
      remote = noise.receive(message1);
    } catch (HyperDhtException e) {
      invalid++;
      admission.close();
      settle(slot);
      return null;
    }
    if (!allowed(noise.remotePublicKey(), remote, client)) {
      firewalled++;
      admission.close();
      settle(slot);
      return null;
    }
    long error = remote.version() != NoisePayload.VERSION ? PeerError.VERSION_MISMATCH
        : remote.udx() == null ? PeerError.ABORTED : PeerError.NONE;
    HostPort own = connections.node.remoteAddress();
    // the hook holds its own Pending, not the slot's: an upgrade settles the slot (which drops its state) while the
    // stream still waits for the client's direct acks, and those must keep passing until the move is done
    AtomicReference<Pending> hooked = new AtomicReference<>();
    Pending pending = error == PeerError.NONE ? new Pending(connections.rawStreams.create(
        (stream, socket, from) -> onFirstPacket(slot, hooked.get(), socket, from)), admission) : null;
    hooked.set(pending);
    if (pending == null) {
      admission.close();
    }
    slot.state = pending;
    byte[] relayKey = RelayThrough.selectFrom(options.relayThrough());
    RelayThroughInfo ours = relayKey == null ? null : RelayThroughInfo.of(relayKey, io.hyperinfer.crypto.Random.bytes(32));
    // cannot fail: message 1 was received, so this side's keys are set up
    byte[] reply = noise.send(new NoisePayload(NoisePayload.VERSION, error,
        own != null ? Firewall.OPEN : Firewall.UNKNOWN,
        own != null ? null : new HolepunchInfo(slot.id, holepunchRelays(forwardedBy, serverAddress)),
        addresses(own), List.of(),
        UdxInfo.of(false, pending == null ? 0 : Integer.toUnsignedLong(pending.raw.id())), SecretStreamInfo.V1, ours,
        relayAddressesOrNull()));
    if (pending == null) {
      settle(slot);
      return reply;
    }
    pending.established = noise.established();
    pending.remoteUdxId = (int) remote.udx().id();
    if (remote.firewall() == Firewall.OPEN || direct != null) {
      UdxSocket socket = direct != null ? direct : connections.currentSocket();
      connections.punchStats.open.incrementAndGet();
      connect(slot, pending, socket, client);
      return reply;
    }
    RelayLink.Plan plan = RelayLink.Plan.of(ours, remote, true);
    if (plan != null) {
      relay(slot, pending, plan);
    }
    pending.timer = connections.node.schedule(options.firstPacketWait().toMillis(), () -> giveUp(slot));
    if (sameLan(client, serverAddress, remote)) {
      pending.punch = punch(slot, pending, remote.firewall(), false);  // LAN: the answer leaves the normal socket
    } else if (own == null && options.holepunch() != HolepunchVeto.NEVER) {
      pending.punch = punch(slot, pending, remote.firewall(), true);
    }
    if (pending.punch != null && pending.relay != null) {
      pending.punch.relayed();
    }
    return reply;
  }

  /**
   * The relays a client's holepunch rounds reach us through: those of our last announce, or, when it found none (its
   * commits all timed out, as under load right after listen), the node that forwarded this handshake, which routes
   * to us. JS offers the empty list, and a client that gets one sends straight to our address, the one path a
   * firewalled server cannot take: through a symmetric NAT a relayed stream moved there carries nothing more.
   */
  private List<HolepunchInfo.RelayInfo> holepunchRelays(HostPort forwardedBy, HostPort seenAs) {
    List<HolepunchInfo.RelayInfo> announced = announcer.relays();
    if (!announced.isEmpty() || forwardedBy == null || seenAs == null) {
      return announced;
    }
    return List.of(new HolepunchInfo.RelayInfo(forwardedBy, seenAs));
  }

  /** The relay saw client and server on one host, and the client lists a private address near one of ours. */
  private boolean sameLan(HostPort client, HostPort serverAddress, NoisePayload remote) {
    if (serverAddress == null || !client.host().equals(serverAddress.host()) || !options.shareLocalAddress()) {
      return false;
    }
    List<HostPort> theirs = remote.addresses4().stream().filter(a -> Addresses.isPrivate(a.host())).toList();
    return !theirs.isEmpty() && Addresses.matchAddress(Addresses.localAddresses(
        connections.node.serverSocket().localAddress()), theirs) != null;
  }

  /** A responding puncher for the slot; when it gives up before a connection, so does the slot. */
  private ServerPunch punch(HandshakeSlots.Slot<Pending> slot, Pending pending, long remoteFirewall,
      boolean replyFromPuncher) {
    Holepuncher puncher = new Holepuncher(connections.punchHost, false, remoteFirewall, options.birthdaySockets());
    puncher.onAbort(() -> connections.node.execute(() -> giveUp(slot)));
    // JS onconnect = onsocket: a relayed stream moves to the punched path as soon as the punch connects
    puncher.onConnect((socket, from) -> connections.node.execute(() -> {
      if (pending.relayed) {
        upgrade(slot, pending, ((UdxPunchHost.Pooled) socket).udx(),
            new InetSocketAddress(InetAddress.ofLiteral(from.host()), from.port()));
      }
    }));
    return new ServerPunch(new SecurePayload(pending.established.holepunchSecret()), puncher, replyFromPuncher,
        options.holepunch(), announcer::isRelay, connections.punchHost, connections.node::socket, () -> connections.node
        .execute(() -> {
          if (pending.timer != null) {
            pending.timer.cancel(); // the punch has its own end
          }
        }), task -> Thread.ofVirtual().name("hyperdht-server-punch").start(task));
  }

  private boolean allowed(byte[] remoteKey, NoisePayload payload, HostPort client) {
    try {
      return options.firewall().allow(remoteKey, payload, client);
    } catch (RuntimeException e) {
      return false; // JS counts a firewall that throws as a rejection
    }
  }

  private List<HostPort> addresses(HostPort own) {
    List<HostPort> out = new ArrayList<>();
    if (own != null) {
      out.add(own);
    }
    if (options.shareLocalAddress()) {
      out.addAll(Addresses.localAddresses(connections.node.serverSocket().localAddress()));
    }
    return out;
  }

  private List<HostPort> relayAddressesOrNull() {
    List<HostPort> relays = announcer.relayAddresses();
    return relays.isEmpty() ? null : relays;
  }

  /** Pairs the slot's stream through a blind relay (JS {@code _relayConnection}); the client's packets may win. */
  private void relay(HandshakeSlots.Slot<Pending> slot, Pending pending, RelayLink.Plan plan) {
    RelayLink link = RelayLink.start(connections, plan, pending.raw);
    pending.relay = link;
    pending.raw.closed().whenComplete((v, e) -> link.close("the connection's stream closed"));
    link.paired().whenComplete((p, e) -> connections.node.execute(() -> {
      if (e != null) {
        if (pending.punch == null || pending.punch.puncher().destroyed()) {
          giveUp(slot); // neither the relay nor a punch can connect it now
        }
      } else if (pending.claimed.get()) {
        link.close("the client reached us directly first");
      } else {
        pending.relayed = true;
        pending.raw.closed().whenComplete((v, x) -> connections.node.execute(() -> {
          stopPunch(pending);
          settle(slot);
        }));
        connect(slot, pending, p.socket(), new HostPort(p.relay().getAddress().getHostAddress(), p.relay().getPort()),
            p.remoteId());
      }
    }));
  }

  /** The raw stream's firewall hook: the first packet from the client connects the stream to its source. */
  private boolean onFirstPacket(HandshakeSlots.Slot<Pending> slot, Pending pending, UdxSocket socket,
      InetSocketAddress from) {
    if (pending == null || pending.established == null || from.getPort() < 1
        || !(from.getAddress() instanceof Inet4Address v4)) {
      return false;
    }
    boolean viaRelay = pending.relay != null && pending.relay.isRelayPath(socket, from);
    if (pending.relayed) {
      if (viaRelay) {
        return !pending.relayReleased; // in flight through the relay while the client switches over
      }
      // the client's direct packets: the first moves the stream; later ones (its acks while ours drain) count too
      return upgrade(slot, pending, socket, from)
          || (pending.upgraded && socket == pending.upgradedSocket && from.equals(pending.upgradedFrom));
    }
    if (viaRelay) {
      return false; // relayed traffic before the relay's answer: that path connects on the answer
    }
    return connect(slot, pending, socket, new HostPort(v4.getHostAddress(), from.getPort()));
  }

  /**
   * The client reached a relayed stream directly (JS {@code onsocket} on a connected stream): the stream moves there
   * once what went through the relay is acked, and the relay is let go a little later. Whether the packet counts.
   */
  private boolean upgrade(HandshakeSlots.Slot<Pending> slot, Pending pending, UdxSocket socket,
      InetSocketAddress from) {
    if (pending.upgraded || pending.relayReleased) {
      return false;
    }
    pending.upgraded = true;
    pending.upgradedSocket = socket;
    pending.upgradedFrom = from;
    keepPunchSocket(pending, socket);
    settle(slot); // its punch is over: the slot only answers repeated handshakes now
    pending.raw.changeRemote(socket, pending.remoteUdxId, from).whenComplete((v, e) -> {
      if (e != null) {
        return;
      }
      connections.relayStats.upgrades.incrementAndGet();
      try {
        pending.raw.send(new byte[0]);
      } catch (RuntimeException closed) {
        return;
      }
      connections.node.schedule(options.relayLinger().toMillis(), () -> {
        pending.relayReleased = true;
        pending.relay.close("the connection upgraded and released the relay");
        connections.relayStats.releases.incrementAndGet();
      });
    });
    return true;
  }

  private boolean connect(HandshakeSlots.Slot<Pending> slot, Pending pending, UdxSocket socket, HostPort to) {
    return connect(slot, pending, socket, to, pending.remoteUdxId);
  }

  /** Connects the slot's stream to {@code remoteId} at {@code to} through {@code socket} and hands it over; once. */
  private boolean connect(HandshakeSlots.Slot<Pending> slot, Pending pending, UdxSocket socket, HostPort to,
      int remoteId) {
    if (!pending.claimed.compareAndSet(false, true)) {
      return false;
    }
    if (pending.timer != null) {
      pending.timer.cancel();
    }
    boolean punched = !pending.relayed && keepPunchSocket(pending, socket); // a relayed one may still punch
    pending.raw.connect(socket, remoteId, new InetSocketAddress(InetAddress.ofLiteral(to.host()), to.port()));
    pending.admission.handshakeDone();
    if (!pending.relayed) {
      settle(slot); // a relayed slot stays until it upgrades or closes: its punch rounds and direct packets find it
    }
    accepted++;
    HyperDhtConnection connection = new HyperDhtConnection(pending.established, pending.raw, to, options.keepAlive(),
        options.firstPacketWait(), punched);
    if (handler.mayBlock()) {
      Thread.ofVirtual().name("hyperdht-connection").start(() -> hand(connection));
    } else {
      hand(connection);
    }
    return true;
  }

  /**
   * Ends the slot's punch; when the stream connected through one of the puncher's sockets, that one lives as long as
   * the stream (and this returns true), the rest go.
   */
  private static boolean keepPunchSocket(Pending pending, UdxSocket socket) {
    if (pending.punch == null) {
      return false;
    }
    Holepuncher puncher = pending.punch.puncher();
    PunchSocket kept = puncher.detach(socket);
    puncher.onAbort(() -> {});
    puncher.destroy();
    if (kept != null) {
      pending.raw.closed().whenComplete((v, e) -> kept.release());
    }
    return kept != null;
  }

  private static void stopPunch(Pending pending) {
    if (pending.punch != null) {
      pending.punch.puncher().onAbort(() -> {});
      pending.punch.puncher().destroy();
    }
  }

  private void hand(HyperDhtConnection connection) {
    try {
      handler.onConnection(connection);
    } catch (RuntimeException e) {
      connection.destroy();
    } finally {
      connection.startIfIdle();
    }
  }

  private void giveUp(HandshakeSlots.Slot<Pending> slot) {
    Pending pending = slot.state;
    if (pending != null && pending.relay != null && !pending.relay.paired().isDone()) {
      return; // the relay may still pair it; its own timeout ends it
    }
    if (release(slot)) {
      expired++;
    }
  }

  /** The limiter made room for another client's handshake by taking this one's. */
  private void evict(HandshakeSlots.Slot<Pending> slot) {
    if (slot != null && release(slot)) {
      evicted++;
    }
  }

  /** Destroys a pending slot's stream and settles it, unless it connected or was released already. */
  private boolean release(HandshakeSlots.Slot<Pending> slot) {
    Pending pending = slot.state;
    if (pending == null || !pending.claimed.compareAndSet(false, true)) {
      return false;
    }
    if (pending.timer != null) {
      pending.timer.cancel();
    }
    stopPunch(pending);
    if (pending.relay != null) {
      pending.relay.destroy("the handshake was dropped");
    }
    pending.raw.destroy();
    settle(slot);
    return true;
  }

  private void settle(HandshakeSlots.Slot<Pending> slot) {
    slots.settle(slot, connections.node.nowMs());
  }

  /** Drops every handshake: pending streams are destroyed, nothing is remembered (the server closes). */
  void clear() {
    for (Pending p : slots.clear()) {
      if (p.claimed.compareAndSet(false, true)) {
        if (p.timer != null) {
          p.timer.cancel();
        }
        stopPunch(p);
        if (p.relay != null) {
          p.relay.destroy("the server closed");
        }
        p.raw.destroy();
      }
    }
  }

  ConnectionStats.Server stats() {
    slots.expire(connections.node.nowMs());
    ConnectionLimiter.Stats admitted = limiter.stats();
    return new ConnectionStats.Server(slots.pending(), slots.settled(), admitted.refused(), evicted, duplicates,
        invalid, firewalled, expired, accepted, admitted.connections() - admitted.handshakes());
  }
}
