package io.hyperinfer.swarm;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.dht.NodeListener;
import io.hyperinfer.hyperdht.ConnectOptions;
import io.hyperinfer.hyperdht.ConnectionHandler;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtConnection;
import io.hyperinfer.hyperdht.HyperDhtServer;
import io.hyperinfer.hyperdht.RelayThrough;
import io.hyperinfer.hyperdht.ServerOptions;
import io.hyperinfer.hyperdht.wire.Peer;
import io.hyperinfer.secretstream.SecretStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.random.RandomGenerator;

/**
 * A swarm on a HyperDHT node (JS {@code hyperswarm} {@code index.js}): join topics as a server (announce, accept) and/or
 * a client (look up, dial), keep one connection per peer, retry with backoff, ban what the firewall rejects, and keep
 * explicit peers connected. The rules live in the I/O-free {@link SwarmCore}; this class carries them out on one
 * {@link SwarmLoop} thread, where listener calls also run. The node is shared: closing the swarm leaves it open.
 * Thread-safe.
 */
public final class Swarm implements AutoCloseable {
  private final HyperDht dht;
  private final TopicQueries queries;
  private final KeyPair keyPair;
  private final SwarmOptions options;
  private final SwarmListener listener;
  private final RandomGenerator random;
  private final SwarmLoop loop;
  private final SwarmCore core;
  private final Map<String, TopicDiscovery> discoveries = new HashMap<>();
  private final NodeListener networkListener = new NodeListener() {
    @Override
    public void onNetworkUpdate(boolean online, boolean degraded) {
      loop.execute(() -> networkUpdate(online));
    }

    @Override
    public void onNetworkChange() {
      loop.execute(Swarm.this::networkChanged);
    }
  };
  private final SwarmServer server;
  private boolean online;
  private CompletableFuture<Void> suspending = CompletableFuture.completedFuture(null);
  private volatile boolean suspended;
  private ScheduledFuture<?> tick;
  private long tickAtMs = Long.MAX_VALUE;
  private final java.util.concurrent.atomic.AtomicLong listenerErrors = new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean closed;

  private Swarm(HyperDht dht, SwarmOptions options, SwarmListener listener, TopicQueries queries) {
    this.dht = dht;
    this.queries = queries;
    this.options = options;
    this.listener = listener;
    this.keyPair = options.keyPair() != null ? options.keyPair() : dht.defaultKeyPair();
    this.random = options.random() != null ? options.random() : RandomGenerator.of("L64X128MixRandom");
    this.loop = new SwarmLoop("swarm-" + HexFormat.of().formatHex(keyPair.publicKey(), 0, 4), options.clock());
    List<Long> backoffs = options.backoffsMs() != null ? options.backoffsMs() : RetryTimer.defaultBackoffs(random);
    this.core = new SwarmCore(new PeerKey(keyPair.publicKey()), options.limits(), options.firewall(), backoffs,
        options.jitterMs(), random, topic -> discoveries.containsKey(hex(topic)), options.relay() != null,
        new Events());
    this.server = new SwarmServer(this::newServer, keyPair);
    this.online = dht.node().online();
    dht.node().addListener(networkListener);
  }

  private HyperDhtServer newServer() {
    ServerOptions o = options.server().withFirewall((key, payload, from) -> allowServer(key));
    RelayPolicy relay = options.relay();
    if (relay != null) {
      o = o.withRelayThrough(() -> relay.select(false, dht.node().randomized()));
    }
    return dht.createServer(o, ConnectionHandler.onLoop(this::accepted));
  }

  /** A swarm on {@code dht} (which it never closes), reporting to {@code listener}. */
  public static Swarm create(HyperDht dht, SwarmOptions options, SwarmListener listener) {
    return new Swarm(dht, options, listener, TopicQueries.of(dht));
  }

  /** A swarm whose topics run their queries through {@code queries} (tests watch them there). */
  static Swarm create(HyperDht dht, SwarmOptions options, SwarmListener listener, TopicQueries queries) {
    return new Swarm(dht, options, listener, queries);
  }

  // ---- topics ----

  /**
   * Joins {@code topic} (32 bytes) as a server (announce our key, accept connections) and/or a client (look the topic
   * up and dial the peers found); the first announce or lookup starts at once (JS {@code swarm.join}).
   */
  public JoinSession join(byte[] topic, boolean server, boolean client) {
    return join(topic, server, client, TopicDiscovery.UNLIMITED);
  }

  /**
   * JS {@code swarm.join(topic, {server, client, limit})}: as {@link #join(byte[], boolean, boolean)}, and each
   * refresh of the topic hands at most {@code limit} of the peers it finds to the swarm to dial (0: none;
   * {@code Integer.MAX_VALUE}: all). The limit is the topic's, not the session's: the latest join or
   * {@link JoinSession#refresh} of any session of the topic sets it (a refresh without one lifts it), as in JS.
   */
  public JoinSession join(byte[] topic, boolean server, boolean client, int limit) {
    int checked = checkLimit(limit);
    byte[] t = checkTopic(topic);
    ensureOpen();
    if (!server && !client) {
      throw new SwarmException(SwarmException.Code.BAD_ARGUMENT, "a join is a server, a client or both");
    }
    return loop.call(() -> {
      TopicDiscovery d = discoveries.get(hex(t));
      if (d == null || d.destroyed()) {
        d = new TopicDiscovery(this, t, d != null ? d.destroy() : null, suspended);
        discoveries.put(hex(t), d);
      }
      JoinSession s = d.session(server, client, checked);
      d.refresh();
      return s;
    }).join();
  }

  /** Leaves {@code topic}: every session of it ends, and our record is unannounced (JS {@code swarm.leave}). */
  public CompletableFuture<Void> leave(byte[] topic) {
    byte[] t = checkTopic(topic);
    return loop.call(() -> {
      TopicDiscovery d = discoveries.get(hex(t));
      if (d == null) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      return d.destroy().whenCompleteAsync((v, e) -> {
        discoveries.remove(hex(t), d);
        core.abandonUnwanted(); // a dial in flight to a peer found only here is aborted
      }, loop::execute);
    }).thenCompose(f -> f);
  }

  /** The joined topic's state (JS {@code swarm.status(topic)}); empty when the topic is not joined. */
  public Optional<TopicStatus> status(byte[] topic) {
    byte[] t = checkTopic(topic);
    return loop.call(() -> Optional.ofNullable(discoveries.get(hex(t))).map(TopicDiscovery::status)).join();
  }

  /** Every joined topic's state (JS {@code swarm.topics()}). Not to be called from a listener. */
  public List<TopicStatus> topics() {
    return loop.call(() -> discoveries.values().stream().map(TopicDiscovery::status).toList()).join();
  }

  /** Keeps a connection to {@code publicKey} whether or not it is on a topic we joined (JS {@code joinPeer}). */
  public void joinPeer(byte[] publicKey) {
    PeerKey key = new PeerKey(publicKey);
    onLoop(() -> core.joinPeer(key.bytes(), loop.nowMs()));
  }

  /** Stops keeping {@code publicKey} connected; an open connection stays (JS {@code leavePeer}). */
  public void leavePeer(byte[] publicKey) {
    PeerKey key = new PeerKey(publicKey);
    onLoop(() -> core.leavePeer(key.bytes()));
  }

  /** Bans {@code publicKey} (or lifts its ban): no dial goes to it and its handshakes get no answer. */
  public void ban(byte[] publicKey, boolean banned) {
    PeerKey key = new PeerKey(publicKey);
    onLoop(() -> core.ban(key.bytes(), banned, new SwarmException(SwarmException.Code.FIREWALLED,
        banned ? "banned by the application" : "unbanned by the application")));
  }

  /**
   * Completes true once every joined topic's announce or lookup finished and every peer found so far was dialed to an
   * end (or the limits stop us dialing more); false if the swarm closed first (JS {@code swarm.flush}).
   */
  public CompletableFuture<Boolean> flush() {
    return loop.call(() -> {
      List<CompletableFuture<Boolean>> all = new ArrayList<>();
      for (TopicDiscovery d : discoveries.values()) {
        all.add(d.flushed());
      }
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .thenComposeAsync(v -> loop.call(core::flush).thenCompose(f -> f), loop::execute);
    }).thenCompose(f -> f);
  }

  /**
   * Starts the server (JS {@code swarm.listen}); joining a topic as a server does this too. Fails with
   * {@code SUSPENDED} while the swarm is suspended (resuming listens again if the server listened before).
   */
  public CompletableFuture<Void> listen() {
    ensureOpen();
    return server.listen();
  }

  /** The server's listen, if one was started (and the swarm is not suspended); else null. */
  CompletableFuture<Void> listening() {
    return server.listening();
  }

  // ---- suspend, resume, network ----

  /**
   * JS {@code swarm.suspend()}: every topic stops refreshing and unannounces, the server closes (unannouncing our key),
   * every connection and dial in flight is destroyed with {@code SUSPENDED}, the dial queue and retry timers start
   * afresh, and no connection is accepted or dialed until {@link #resume}. Completes when all that is done. The shared
   * node keeps running (JS suspends its own node too).
   */
  public CompletableFuture<Void> suspend() {
    return loop.call(() -> {
      if (suspended || closed) {
        return suspending;
      }
      List<CompletableFuture<Void>> all = new ArrayList<>();
      suspended = true;
      all.add(server.suspend());
      for (TopicDiscovery d : discoveries.values()) {
        all.add(d.suspend().exceptionally(e -> null));
      }
      for (Link l : core.suspend()) {
        all.add(((SwarmConnection) l).closed());
      }
      suspending = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
      return suspending;
    }).thenCompose(f -> f);
  }

  /**
   * JS {@code swarm.resume()}: the server listens again if it did, every topic refreshes at once (announcing again),
   * and dialing starts again (explicit peers at once, the rest as the lookups find them). Completes once the server
   * listens again.
   */
  public CompletableFuture<Void> resume() {
    return loop.call(() -> {
      if (!suspended || closed) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      suspended = false;
      CompletableFuture<Void> listened = server.resume();
      for (TopicDiscovery d : discoveries.values()) {
        d.resume();
      }
      core.resume(loop.nowMs());
      rearm();
      return listened;
    }).thenCompose(f -> f);
  }

  public boolean isSuspended() {
    return suspended;
  }

  /**
   * JS {@code _handleNetworkUpdate}: when the node comes back online (health's rising edge), the swarm acts as on a
   * network change. On the loop.
   */
  void networkUpdate(boolean nowOnline) {
    boolean cameOnline = nowOnline && !online;
    online = nowOnline;
    if (cameOnline) {
      networkChanged();
    }
  }

  /**
   * JS {@code _handleNetworkChange} (the node's 'network-change': the machine's interfaces changed): unless suspended,
   * every connection sends a keep-alive, so one the change broke is found dead and redialed soon, and every topic
   * announces or looks up again at once, so our record and the peers we know match the new network. On the loop.
   */
  void networkChanged() {
    if (closed || !core.networkChanged()) {
      return;
    }
    for (TopicDiscovery d : discoveries.values()) {
      d.refresh();
    }
  }

  // ---- state ----

  public byte[] publicKey() {
    return keyPair.publicKey().clone();
  }

  public HyperDht dht() {
    return dht;
  }

  /** The open connections, one per peer. Not to be called from a listener (it waits for the loop). */
  public List<SwarmConnection> connections() {
    return loop.call(() -> core.connections().stream().map(l -> (SwarmConnection) l).toList()).join();
  }

  /** The open connection to {@code publicKey}, if any. Not to be called from a listener. */
  public Optional<SwarmConnection> connection(byte[] publicKey) {
    PeerKey key = new PeerKey(publicKey);
    return loop.call(() -> Optional.ofNullable((SwarmConnection) core.connectionTo(key))).join();
  }

  /** Whether {@code publicKey} is banned. Thread-safe, does not wait. */
  public boolean isBanned(byte[] publicKey) {
    return core.isBanned(new PeerKey(publicKey));
  }

  public SwarmStats stats() {
    return loop.call(core::stats).join();
  }

  /** Tasks of the loop and listener calls that threw (each dropped): zero unless something is wrong. */
  public long loopErrors() {
    return loop.errors() + listenerErrors.get();
  }

  /**
   * Leaves every topic (unannouncing), closes the server and every connection, and stops the loop (JS
   * {@code swarm.destroy}). The node stays open. Waits; not to be called from a listener.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CompletableFuture<Void> left = loop.call(() -> {
      core.destroy();
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (TopicDiscovery d : discoveries.values()) {
        all.add(d.destroy());
      }
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }).thenCompose(f -> f);
    left.exceptionally(e -> null).join();
    dht.node().removeListener(networkListener);
    server.close();
    for (SwarmConnection c : loop.call(() -> core.connections().stream().map(l -> (SwarmConnection) l).toList())
        .join()) {
      c.destroy(new SwarmException(SwarmException.Code.DESTROYED, "the swarm is closed"));
    }
    loop.close();
  }

  // ---- for TopicDiscovery ----

  SwarmLoop loop() {
    return loop;
  }

  KeyPair keyPair() {
    return keyPair;
  }

  TopicQueries queries() {
    return queries;
  }

  RandomGenerator random() {
    return random;
  }

  /** Up to three relays our server is reachable through, for records announced outside {@link #join}. */
  public List<HostPort> relayAddresses() {
    return server.relayAddresses();
  }

  void peerFound(Peer peer, byte[] topic) {
    core.onPeer(peer.publicKey(), peer.relayAddresses(), topic, loop.nowMs());
    rearm();
  }

  // ---- I/O ----

  private boolean allowServer(byte[] remoteKey) {
    PeerKey key = new PeerKey(remoteKey);
    if (closed || suspended || key.equals(new PeerKey(keyPair.publicKey())) || core.isBanned(key)) {
      return false;
    }
    if (options.firewall().allow(remoteKey)) {
      return true;
    }
    onLoop(() -> core.firewalled(key));
    return false;
  }

  private void accepted(HyperDhtConnection c) {
    SecretStream s = c.start();
    SwarmConnection conn = new SwarmConnection(new PeerKey(c.remotePublicKey()), false,
        x -> onLoop(() -> core.onServerClosed(x, loop.nowMs())));
    onLoop(() -> core.onServerConnection(conn, loop.nowMs()));
    conn.attach(s); // after the event is queued, so a stream that dies at once reports its close after it
  }

  private final class Events implements SwarmCoreEvents {
    @Override
    public Link dial(PeerInfo peer) {
      SwarmConnection conn = new SwarmConnection(peer.key(), true,
          c -> onLoop(() -> core.onClientClosed(c, loop.nowMs())));
      ConnectOptions connect = options.connect().withKeyPair(keyPair).withRelayAddresses(peer.relayAddresses());
      byte[] relay = options.relay() == null ? null
          : options.relay().select(peer.forceRelaying(), dht.node().randomized());
      if (relay != null) {
        connect = connect.withRelayThrough(RelayThrough.of(relay));
      }
      CompletableFuture<SecretStream> dial = dht.connect(peer.publicKey(), connect, null);
      conn.follow(dial, () -> onLoop(() -> core.onClientOpened(conn, loop.nowMs())));
      dial.whenComplete((stream, err) -> {
        if (err != null) {
          loop.execute(() -> dialFailed(peer, err));
        }
      });
      return conn;
    }

    @Override
    public void connection(Link link, PeerInfo peer) {
      try {
        listener.onConnection((SwarmConnection) link, peer);
      } catch (RuntimeException e) {
        listenerErrors.incrementAndGet(); // the core's state must not stop half-way through an event
      }
    }

    @Override
    public boolean mayReplace(Link existing) {
      try {
        return listener.mayReplace((SwarmConnection) existing);
      } catch (RuntimeException e) {
        listenerErrors.incrementAndGet();
        return true;
      }
    }

    private void dialFailed(PeerInfo peer, Throwable error) {
      try {
        listener.onDialFailed(peer, error instanceof java.util.concurrent.CompletionException c
            && c.getCause() != null ? c.getCause() : error);
      } catch (RuntimeException e) {
        listenerErrors.incrementAndGet();
      }
    }

    @Override
    public void banned(PeerInfo peer, SwarmException reason) {
      try {
        listener.onBan(peer, reason);
      } catch (RuntimeException e) {
        listenerErrors.incrementAndGet();
      }
    }
  }

  /** Runs a core event on the loop and re-arms the retry timer after it. */
  private void onLoop(Runnable event) {
    loop.execute(() -> {
      event.run();
      rearm();
    });
  }

  private void rearm() {
    long at = core.deadlineMs();
    if (at == tickAtMs) {
      return;
    }
    if (tick != null) {
      tick.cancel(false);
      tick = null;
    }
    tickAtMs = at;
    if (at != Long.MAX_VALUE) {
      tick = loop.schedule(() -> {
        tickAtMs = Long.MAX_VALUE;
        tick = null;
        core.tick(loop.nowMs());
        rearm();
      }, at - loop.nowMs());
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new SwarmException(SwarmException.Code.DESTROYED, "the swarm is closed");
    }
  }

  static int checkLimit(int limit) {
    if (limit < 0) {
      throw new SwarmException(SwarmException.Code.BAD_ARGUMENT, "a join's peer limit is 0 or more");
    }
    return limit;
  }

  private static byte[] checkTopic(byte[] topic) {
    if (topic == null || topic.length != 32) {
      throw new SwarmException(SwarmException.Code.BAD_TOPIC, "a topic has 32 bytes");
    }
    return topic.clone();
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
