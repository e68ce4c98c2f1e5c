package io.hyperinfer.swarm;

import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Hyperswarm's connection logic without I/O (JS {@code index.js}): which peers to dial and when, how many at once,
 * which of two connections between a pair survives, when to retry, whom to ban. Events and the time come in as calls;
 * dials and connection events go out through {@link SwarmCoreEvents}; {@link #deadlineMs} says when to call
 * {@link #tick}. Not thread-safe: confined to the swarm loop (or a test), except {@link #isBanned}.
 */
final class SwarmCore {
  private final PeerKey self;
  private final SwarmLimits limits;
  private final SwarmFirewall firewall;
  private final SwarmCoreEvents out;
  private final Predicate<byte[]> joined;
  private final Map<PeerKey, PeerInfo> peers = new HashMap<>();
  private final Set<PeerKey> bannedKeys = ConcurrentHashMap.newKeySet();
  private final Set<PeerInfo> explicitPeers = new LinkedHashSet<>();
  private final Map<PeerKey, Link> all = new HashMap<>();
  private final Set<Link> open = new LinkedHashSet<>();
  private final Map<Link, Dial> dials = new HashMap<>();
  private final Map<Link, PeerInfo> served = new HashMap<>();
  private final Map<Link, Link> swaps = new HashMap<>();
  private final List<Long> backoffsMs;
  private final long jitterMs;
  private final RandomGenerator random;
  private final boolean relaying;
  private PeerQueue queue;
  private RetryTimer timer;
  private final Flushes flushes = new Flushes();
  private final long[] counters = new long[8];
  private long now;
  private int connecting;
  private int clientConnections;
  private boolean draining;
  private boolean destroyed;
  private boolean suspended;

  private record Dial(PeerInfo peer, boolean queued, boolean[] opened) {}

  /**
   * @param joined whether a topic is still joined (a peer found only on left topics is not retried)
   * @param relaying whether dials may go through a blind relay (a dial that failed to punch then forces one)
   */
  SwarmCore(PeerKey self, SwarmLimits limits, SwarmFirewall firewall, List<Long> backoffsMs, long jitterMs,
      RandomGenerator random, Predicate<byte[]> joined, boolean relaying, SwarmCoreEvents out) {
    this.self = self;
    this.limits = limits;
    this.firewall = firewall;
    this.joined = joined;
    this.out = out;
    this.backoffsMs = backoffsMs;
    this.jitterMs = jitterMs;
    this.random = random;
    this.relaying = relaying;
    this.queue = new PeerQueue(random);
    this.timer = new RetryTimer(backoffsMs, jitterMs, random, this::requeue);
  }

  // ---- peers found and explicit peers ----

  /** A peer record found on {@code topic} (JS {@code _handlePeer}). */
  void onPeer(byte[] publicKey, List<HostPort> relays, byte[] topic, long nowMs) {
    now = nowMs;
    PeerInfo peer = upsert(new PeerKey(publicKey), relays, true);
    if (peer == null) {
      return;
    }
    peer.addTopic(topic);
    if (all.containsKey(peer.key())) {
      return;
    }
    if (!peer.prioritized() || !peer.client) {
      peer.reset(); // rediscovered: give a demoted peer (or one that only ever dialed us) a fresh start
    }
    if (peer.updatePriority()) {
      enqueue(peer);
    }
  }

  void joinPeer(byte[] publicKey, long nowMs) {
    now = nowMs;
    PeerInfo peer = upsert(new PeerKey(publicKey), null, false);
    if (peer == null) {
      return;
    }
    peer.explicit = true;
    explicitPeers.add(peer);
    if (!all.containsKey(peer.key()) && peer.updatePriority()) {
      enqueue(peer);
    }
  }

  void leavePeer(byte[] publicKey) {
    PeerInfo peer = peers.get(new PeerKey(publicKey));
    if (peer == null) {
      return;
    }
    peer.explicit = false;
    explicitPeers.remove(peer);
    abandonUnwanted();
    maybeForget(peer);
  }

  /**
   * A topic was left (or an explicit peer dropped): a dial still in flight to a peer that is neither explicit nor on
   * a joined topic is aborted, since nothing wants it any more (its close then settles it as usual).
   */
  void abandonUnwanted() {
    for (Map.Entry<Link, Dial> e : List.copyOf(dials.entrySet())) {
      PeerInfo peer = e.getValue().peer();
      if (!e.getValue().opened()[0] && !peer.explicit && !onJoinedTopic(peer)) {
        e.getKey().destroy(new SwarmException(SwarmException.Code.ABANDONED, "nothing wants " + peer.key() + " now"));
      }
    }
  }

  /** Bans (or unbans) a key: no dial goes to it and the server ignores it (JS {@code peerInfo.ban}). */
  void ban(byte[] publicKey, boolean banned, SwarmException reason) {
    PeerInfo peer = upsert(new PeerKey(publicKey), null, false);
    if (peer != null) {
      banPeer(peer, banned, reason);
    }
  }

  /** Whether {@code key} is banned. Thread-safe: the server's firewall asks on the node loop. */
  boolean isBanned(PeerKey key) {
    return bannedKeys.contains(key);
  }

  PeerInfo peer(PeerKey key) {
    return peers.get(key);
  }

  // ---- dialing ----

  private void enqueue(PeerInfo peer) {
    if (peer.queued) {
      return;
    }
    peer.queued = true;
    peer.flushTick = flushes.tick();
    queue.add(peer);
    attemptClientConnections();
  }

  private void requeue(List<PeerInfo> batch) {
    for (PeerInfo peer : batch) {
      peer.waiting = false;
      if (!peer.updatePriority() || all.containsKey(peer.key()) || peer.queued) {
        continue;
      }
      peer.queued = true;
      peer.flushTick = flushes.tick();
      queue.add(peer);
    }
    attemptClientConnections();
  }

  private boolean withinMaxPeers() {
    int e = explicitPeers.size();
    int factor = e == 0 ? 1 : e < 2 ? 2 : e < 4 ? 3 : 4;
    return (long) factor * all.size() < limits.maxPeers();
  }

  private boolean shouldConnect() {
    return !destroyed && !suspended && connecting < limits.maxParallel() && withinMaxPeers()
        && clientConnections < limits.maxClientConnections();
  }

  private void attemptClientConnections() {
    if (draining || suspended) {
      return;
    }
    draining = true;
    for (PeerInfo peer : List.copyOf(explicitPeers)) {
      if (destroyed || connecting >= limits.maxParallel()) {
        break;
      }
      if (peer.attempts >= 5 || now - peer.disconnectedMs < peer.attempts * 1000L) {
        continue;
      }
      connect(peer, false);
    }
    while (queue.size() > 0 && shouldConnect()) {
      PeerInfo peer = queue.shift();
      peer.queued = false;
      connect(peer, true);
    }
    draining = false;
    if (connecting == 0) {
      flushAllMaybe();
    }
  }

  private void connect(PeerInfo peer, boolean queued) {
    if (peer.banned || all.containsKey(peer.key()) || firewalled(peer.key())) {
      if (queued) {
        flushes.peerSettled(peer);
      }
      return;
    }
    Link link = out.dial(peer);
    all.put(peer.key(), link);
    dials.put(link, new Dial(peer, queued, new boolean[1]));
    counters[0]++;
    connecting++;
    clientConnections++;
  }

  /** A dial's stream opened (JS the client stream's {@code 'open'}). */
  void onClientOpened(Link link, long nowMs) {
    now = nowMs;
    Dial dial = dials.get(link);
    if (dial == null || dial.opened()[0]) {
      return;
    }
    dial.opened()[0] = true;
    counters[1]++;
    connectDone();
    open.add(link);
    dial.peer().connected(now);
    dial.peer().client = true;
    out.connection(link, dial.peer());
    if (dial.queued()) {
      flushes.peerSettled(dial.peer());
    }
  }

  /** A dial failed or its connection ended (JS the client stream's {@code 'close'}). */
  void onClientClosed(Link link, long nowMs) {
    now = nowMs;
    Dial dial = dials.remove(link);
    if (dial == null) {
      return;
    }
    boolean opened = dial.opened()[0];
    if (!opened && relaying && link.needsRelay()) {
      dial.peer().forceRelaying = true; // JS: a punch that cannot work; retry soon, through the relay
      dial.peer().attempts = 0;
    }
    if (!opened) {
      connectDone();
    }
    counters[2]++;
    open.remove(link);
    removeFromAll(link);
    clientConnections--;
    PeerInfo peer = dial.peer();
    peer.disconnected(now);
    peer.waiting = shouldRequeue(peer) && timer.add(peer, now);
    maybeForget(peer);
    if (!opened && dial.queued()) {
      flushes.peerSettled(peer);
    }
    finishSwap(link);
    attemptClientConnections();
  }

  private void connectDone() {
    connecting--;
    if (connecting < limits.maxParallel()) {
      attemptClientConnections();
    }
    if (connecting == 0) {
      flushAllMaybe();
    }
  }

  private boolean shouldRequeue(PeerInfo peer) {
    if (suspended) {
      return false;
    }
    if (peer.explicit) {
      return true;
    }
    return !destroyed && onJoinedTopic(peer);
  }

  private boolean onJoinedTopic(PeerInfo peer) {
    for (byte[] topic : peer.rawTopics()) {
      if (joined.test(topic)) {
        return true;
      }
    }
    return false;
  }

  // ---- accepting ----

  /**
   * A server connection arrived (JS {@code _handleServerConnection}). With a connection to the same key already
   * there, one survives: the new one if the old one already carried bytes both ways (the peer must have lost it and
   * reconnected), else the one dialed by the peer whose key sorts higher, so both ends keep the same one.
   */
  void onServerConnection(Link link, long nowMs) {
    now = nowMs;
    if (destroyed || suspended) {
      link.destroy(destroyed ? new SwarmException(SwarmException.Code.DESTROYED, "the swarm is closed")
          : new SwarmException(SwarmException.Code.SUSPENDED, "the swarm is suspended"));
      return;
    }
    Link existing = all.get(link.remoteKey());
    if (existing != null) {
      boolean outdated = existing.exchangedBytes() && out.mayReplace(existing);
      boolean expectedInitiator = self.compareTo(link.remoteKey()) > 0;
      counters[6]++;
      if (!outdated && expectedInitiator != link.isInitiator()) {
        existing.sendKeepAlive(); // the peer dropped ours for this one, or will: make a dead kept one show itself
        link.destroy(duplicate());
        return;
      }
      swaps.put(existing, link);
      existing.destroy(duplicate());
      return;
    }
    accept(link);
  }

  private void accept(Link link) {
    counters[3]++;
    PeerInfo peer = upsert(link.remoteKey(), null, false);
    all.put(link.remoteKey(), link);
    open.add(link);
    served.put(link, peer);
    peer.client = false;
    out.connection(link, peer);
  }

  /** A server connection ended (JS the server stream's {@code 'close'}). */
  void onServerClosed(Link link, long nowMs) {
    now = nowMs;
    swaps.values().remove(link); // a replacement that closed while it waited is forgotten
    if (!served.containsKey(link)) {
      return;
    }
    PeerInfo peer = served.remove(link);
    open.remove(link);
    removeFromAll(link);
    counters[4]++;
    maybeForget(peer);
    finishSwap(link);
    attemptClientConnections();
  }

  private void finishSwap(Link closed) {
    Link replacement = swaps.remove(closed);
    if (replacement != null) {
      onServerConnection(replacement, now);
    }
  }

  private void removeFromAll(Link link) {
    all.remove(link.remoteKey(), link);
  }

  private static SwarmException duplicate() {
    return new SwarmException(SwarmException.Code.DUPLICATE, "duplicate connection");
  }

  // ---- firewall and bans ----

  /** JS {@code _handleFirewall}: our own key, a banned key and a key the firewall rejects (now banned) are refused. */
  boolean firewalled(PeerKey key) {
    if (key.equals(self)) {
      return true;
    }
    PeerInfo peer = peers.get(key);
    if (peer != null && peer.banned) {
      return true;
    }
    if (firewall.allow(key.bytes())) {
      return false;
    }
    ban(key.bytes(), true, new SwarmException(SwarmException.Code.FIREWALLED, "the firewall rejected " + key));
    return true;
  }

  private void banPeer(PeerInfo peer, boolean banned, SwarmException reason) {
    peer.banned = banned;
    if (banned) {
      bannedKeys.add(peer.key());
      Link link = all.get(peer.key());
      Dial dial = link == null ? null : dials.get(link);
      if (dial != null && !dial.opened()[0]) {
        link.destroy(reason); // the dial in flight is abandoned; an open connection stays, as in JS
      }
    } else {
      bannedKeys.remove(peer.key());
    }
    counters[5]++;
    out.banned(peer, reason);
  }

  /** The peer's entry, made if new; null for our own key, or for a discovered peer when the table is full. */
  private PeerInfo upsert(PeerKey key, List<HostPort> relays, boolean discovered) {
    if (key.equals(self)) {
      return null;
    }
    PeerInfo peer = peers.get(key);
    if (peer != null) {
      peer.relayAddresses(relays);
      return peer;
    }
    if (discovered && peers.size() >= limits.maxKnownPeers()) {
      return null;
    }
    peer = new PeerInfo(key, relays);
    peers.put(key, peer);
    return peer;
  }

  private void maybeForget(PeerInfo peer) {
    if (peer.shouldForget() && !all.containsKey(peer.key())) {
      peers.remove(peer.key());
    }
  }

  // ---- flush, time, lifecycle ----

  /**
   * Completes with true once every peer queued now was dialed and every pending dial settled, or at once when the
   * connection limits are reached (JS {@code flush} after the discoveries flushed); false if the swarm closes first.
   */
  java.util.concurrent.CompletableFuture<Boolean> flush() {
    if (flushAllMaybe()) {
      return java.util.concurrent.CompletableFuture.completedFuture(true);
    }
    int pending = all.size() - open.size();
    return flushes.add(queue.size() + pending);
  }

  private boolean flushAllMaybe() {
    if (connecting > 0 || (withinMaxPeers() && clientConnections < limits.maxClientConnections())) {
      return false;
    }
    flushes.completeAll(true);
    return true;
  }

  long deadlineMs() {
    return timer.deadlineMs();
  }

  void tick(long nowMs) {
    now = nowMs;
    timer.tick(nowMs);
  }

  /** Stops dialing and retrying, aborts the dials in flight; pending flushes complete false. Open connections stay
   * (the shell ends them). */
  void destroy() {
    destroyed = true;
    timer.destroy();
    flushes.completeAll(false);
    abortDials(new SwarmException(SwarmException.Code.DESTROYED, "the swarm is closed"));
  }

  private void abortDials(SwarmException reason) {
    for (Map.Entry<Link, Dial> e : List.copyOf(dials.entrySet())) {
      if (!e.getValue().opened()[0]) {
        e.getKey().destroy(reason);
      }
    }
  }

  /**
   * JS {@code suspend}: no dial, retry or accepted connection until {@link #resume}; every connection, pending or
   * open, is destroyed (their closes still come in); the queue and the retry timers start afresh; pending flushes
   * complete false (the peers they waited for are dropped). Returns the connections destroyed.
   */
  List<Link> suspend() {
    if (suspended || destroyed) {
      return List.of();
    }
    suspended = true;
    List<Link> links = new ArrayList<>(all.values());
    SwarmException reason = new SwarmException(SwarmException.Code.SUSPENDED, "the swarm is suspended");
    for (Link l : links) {
      l.destroy(reason);
    }
    timer.destroy();
    timer = new RetryTimer(backoffsMs, jitterMs, random, this::requeue);
    for (PeerInfo p : List.copyOf(peers.values())) {
      p.queued = false;
      p.waiting = false;
      maybeForget(p);
    }
    queue = new PeerQueue(random);
    flushes.completeAll(false);
    return links;
  }

  /**
   * JS {@code _handleNetworkChange}, the connection half: every connection, pending or open, sends a keep-alive so a
   * path the change broke is found dead soon. Returns false (and does nothing) while suspended or destroyed, when the
   * topics must not refresh either.
   */
  boolean networkChanged() {
    if (suspended || destroyed) {
      return false;
    }
    counters[7]++;
    for (Link l : all.values()) {
      l.sendKeepAlive();
    }
    return true;
  }

  /** JS {@code resume}: dialing starts again; explicit peers are queued at once (the topics' lookups find the rest). */
  void resume(long nowMs) {
    now = nowMs;
    if (!suspended) {
      return;
    }
    suspended = false;
    for (PeerInfo p : List.copyOf(explicitPeers)) {
      if (!all.containsKey(p.key()) && p.updatePriority()) {
        enqueue(p);
      }
    }
    attemptClientConnections();
  }

  boolean suspended() {
    return suspended;
  }

  boolean destroyed() {
    return destroyed;
  }

  List<Link> connections() {
    return new ArrayList<>(open);
  }

  Link connectionTo(PeerKey key) {
    Link l = all.get(key);
    return l != null && open.contains(l) ? l : null;
  }

  int connecting() {
    return connecting;
  }

  int knownPeers() {
    return peers.size();
  }

  int queued() {
    return queue.size();
  }

  SwarmStats stats() {
    return new SwarmStats(counters[0], counters[1], counters[2], counters[3], counters[4], counters[5], counters[6],
        counters[7]);
  }
}
