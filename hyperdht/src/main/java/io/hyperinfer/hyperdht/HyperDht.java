package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.NodeRuntime;
import io.hyperinfer.dht.Query;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.dht.QueryResult;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.dht.udx.UdxRuntime;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Peer;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamListener;
import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A HyperDHT node (JS {@code new DHT(opts)}): a dht-rpc {@link DhtNode} that serves HyperDHT's commands (record
 * storage while persistent, handshake and holepunch forwarding always), plus the client operations on records and
 * values. Thread-safe. The node's work runs on its loop; the futures returned here complete off the loop (on virtual
 * threads for UDX nodes), so callers may block in their stages.
 *
 * <p>See {@code hyperdht/README.md} for the API reference and the JS functions each part follows.
 */
public final class HyperDht implements AutoCloseable {
  private final DhtNode node;
  private final UdxRuntime udxRuntime;
  private final Udx ownedUdx;
  private final KeyPair defaultKeyPair;
  private final RequestService service;
  private final RecordOps records;
  private final ValueOps values;
  private final Completions completions;
  private final Connections connections;
  private CompletableFuture<Void> closing;

  private HyperDht(DhtNode node, UdxRuntime udxRuntime, Udx ownedUdx, HyperDhtOptions options, Executor completions) {
    this.node = node;
    this.udxRuntime = udxRuntime;
    this.ownedUdx = ownedUdx;
    this.defaultKeyPair = options.keyPair() != null ? options.keyPair() : HyperDhtCrypto.keyPair();
    this.service = new RequestService(node, options.caches());
    this.records = new RecordOps(node, service);
    this.values = new ValueOps(node);
    this.completions = new Completions(completions);
    this.connections = udxRuntime == null ? null : new Connections(this, node, udxRuntime, service);
    node.onRequest(service);
  }

  /** A node on two new UDX sockets bound as {@code options} say; it bootstraps at once ({@link #ready()}). */
  public static HyperDht create(HyperDhtOptions options) {
    return onUdx(options, false);
  }

  /**
   * A bootstrap node (JS {@code DHT.bootstrapper(port, host)}): persistent with an id from the start, not firewalled,
   * on exactly {@code host:port} (an IPv4 address peers reach it at; port 0 takes any free port, which is then its
   * address). {@code options.node().bootstrap()} may list other bootstrappers.
   */
  public static HyperDht bootstrapper(int port, String host, HyperDhtOptions options) {
    if (host == null || host.equals("0.0.0.0")) {
      throw DhtException.badArgument("a bootstrapper needs the IPv4 address peers reach it at, not " + host);
    }
    return onUdx(options.withHost(host).withPort(port).withAnyPort(false), true);
  }

  private static HyperDht onUdx(HyperDhtOptions options, boolean bootstrapper) {
    Udx udx = Udx.create();
    try {
      UdxRuntime runtime = UdxRuntime.bind(udx, options.host(), options.port(), options.anyPort());
      NodeStart start = bootstrapper ? DhtNode::bootstrapper : DhtNode::create;
      DhtNode node = start.apply(runtime, nodeOptions(options));
      return new HyperDht(node, runtime, udx, options, task -> Thread.ofVirtual().start(task));
    } catch (RuntimeException e) {
      udx.close();
      throw e;
    }
  }

  /**
   * A node on {@code runtime} (a simulated network, say); futures complete through {@code completions}
   * ({@code Runnable::run} keeps them on the loop, as a single-threaded simulation needs).
   */
  public static HyperDht create(NodeRuntime runtime, HyperDhtOptions options, Executor completions) {
    return new HyperDht(DhtNode.create(runtime, nodeOptions(options)), null, null, options, completions);
  }

  /** A bootstrap node on {@code runtime}, whose server socket address is its public address. */
  public static HyperDht bootstrapper(NodeRuntime runtime, HyperDhtOptions options, Executor completions) {
    return new HyperDht(DhtNode.bootstrapper(runtime, nodeOptions(options)), null, null, options, completions);
  }

  @FunctionalInterface
  private interface NodeStart {
    DhtNode apply(NodeRuntime runtime, io.hyperinfer.dht.NodeOptions options);
  }

  /** JS's hyperdht also vetoes a few known-bad public nodes; they can never matter on 127.0.0.1. */
  private static io.hyperinfer.dht.NodeOptions nodeOptions(HyperDhtOptions options) {
    var user = options.node().filterNode();
    Predicate<io.hyperinfer.dht.Peer> filter = p -> KnownBadNodes.allowed(p) && (user == null || user.test(p));
    return options.node().withFilterNode(filter);
  }

  // ---- the node ----

  /** The dht-rpc node underneath (table, raw requests and queries, listeners). */
  public DhtNode node() {
    return node;
  }

  /** Completes once bootstrapped (JS {@code fullyBootstrapped()}). */
  public CompletableFuture<Void> ready() {
    return completions.off(node.ready());
  }

  /** The default key pair (JS {@code dht.defaultKeyPair}). */
  public KeyPair defaultKeyPair() {
    return defaultKeyPair;
  }

  /** The UDX instance the node's sockets belong to, for streams on them; empty when not on UDX. */
  public Optional<Udx> udx() {
    return Optional.ofNullable(udxRuntime).map(UdxRuntime::udx);
  }

  /** The node's UDX runtime (its server and client sockets as UDX sockets); empty when not on UDX. */
  public Optional<UdxRuntime> udxRuntime() {
    return Optional.ofNullable(udxRuntime);
  }

  /** The server socket's bound address. */
  public HostPort localAddress() {
    return node.localAddress();
  }

  /** Counters: the dht-rpc node's plus HyperDHT's drops, routes, records and local servers. */
  public HyperDhtStats stats() {
    return completions.onLoop(node, () -> new HyperDhtStats(node.stats(), service.drops().snapshot(),
        service.router().size(), service.storage().map(RecordStorage::recordCount).orElse(0),
        service.localServers(), service.handshakesForwarded(), service.holepunchesForwarded()));
  }

  // ---- local servers (lib/server.js registers itself with the router) ----

  /**
   * Routes handshakes and holepunch rounds for {@code hash(record.publicKey())} to {@code server}, and answers
   * FIND_PEER and LOOKUP for it with {@code record}; listening again with the same server updates the record. Fails
   * with {@code KEYPAIR_ALREADY_USED} when another server listens on the key.
   */
  public CompletableFuture<Void> listen(Peer record, LocalServer server) {
    Bytes32 target = Bytes32.of(HyperDhtCrypto.hash(record.publicKey()));
    return completions.off(completions.callOnLoop(node, () -> service.listen(target, record, server)
        ? CompletableFuture.<Void>completedFuture(null)
        : CompletableFuture.<Void>failedFuture(HyperDhtException.keypairAlreadyUsed())));
  }

  /** Stops routing to the server listening on {@code publicKey}; completes with whether one listened. */
  public CompletableFuture<Boolean> unlisten(byte[] publicKey) {
    Bytes32 target = Bytes32.of(HyperDhtCrypto.hash(publicKey));
    return completions.off(completions.callOnLoop(node, () -> CompletableFuture.completedFuture(
        service.unlisten(target))));
  }

  /**
   * Makes {@code socket} (a puncher socket on this node's {@link #udx()}) one of the node's sockets: datagrams longer
   * than one byte arriving on it go into the node (replies to requests sent from it included), one-byte datagrams
   * (holepunch probes) to {@code onProbe}, on the socket's loop thread ({@code lib/socket-pool.js}).
   *
   * @return the socket as the node sends from it ({@link RequestOptions#withSocket})
   */
  public DhtSocket attachSocket(UdxSocket socket, Consumer<HostPort> onProbe) {
    return ExtraSocket.attach(node, socket, onProbe);
  }

  // ---- client: connect messages (lib/router.js peerHandshake, peerHolepunch) ----

  /** Sends Noise message 1 to {@code to} for the server of {@code target}; checks and decodes the reply. */
  public CompletableFuture<RouterClient.HandshakeReply> peerHandshake(byte[] target, byte[] noise,
      HostPort peerAddress, HostPort relayAddress, HostPort to, RequestOptions options) {
    return completions.off(node.request(to, Command.PEER_HANDSHAKE.id(), target,
        RouterClient.handshakeRequest(noise, peerAddress, relayAddress), null, options)
        .thenApply(res -> RouterClient.handshakeReply(to, res.from().address(), res.to(), res.value())));
  }

  /** Sends a holepunch round to {@code to} for the server of {@code target}; checks and decodes the reply. */
  public CompletableFuture<RouterClient.HolepunchReply> peerHolepunch(byte[] target, long id, byte[] payload,
      HostPort peerAddress, HostPort to, RequestOptions options) {
    return completions.off(node.request(to, Command.PEER_HOLEPUNCH.id(), target,
        RouterClient.holepunchRequest(id, payload, peerAddress), null, options)
        .thenApply(res -> RouterClient.holepunchReply(to, res.from().address(), res.to(), res.value())));
  }

  // ---- client: records ----

  /** FIND_PEER for the server with {@code publicKey} (JS {@code findPeer}). */
  public Query<FindPeerResult> findPeer(byte[] publicKey) {
    return findPeer(publicKey, true, QueryOptions.DEFAULT);
  }

  /** FIND_PEER; {@code hash} false when {@code key} is already the target (JS {@code hash: false}). */
  public Query<FindPeerResult> findPeer(byte[] key, boolean hash, QueryOptions options) {
    return completions.off(records.findPeer(hash ? HyperDhtCrypto.hash(key32(key)) : key32(key), options));
  }

  /** LOOKUP of the records announced on {@code topic} (JS {@code lookup}). */
  public Query<LookupResult> lookup(byte[] topic) {
    return lookup(topic, QueryOptions.DEFAULT);
  }

  public Query<LookupResult> lookup(byte[] topic, QueryOptions options) {
    return completions.off(records.lookup(key32(topic), options));
  }

  /** Announces {@code keyPair}'s record on {@code topic} to the closest nodes (JS {@code announce}). */
  public Query<LookupResult> announce(byte[] topic, KeyPair keyPair, List<HostPort> relayAddresses) {
    return announce(topic, keyPair, relayAddresses, AnnounceOptions.DEFAULT);
  }

  public Query<LookupResult> announce(byte[] topic, KeyPair keyPair, List<HostPort> relayAddresses,
      AnnounceOptions options) {
    return completions.off(records.announce(key32(topic), keyPair, relayAddresses, options.bump(), options.clear(),
        options.query()));
  }

  /** Removes {@code keyPair}'s record from every node on the way to {@code topic} (JS {@code unannounce}). */
  public CompletableFuture<QueryResult<LookupResult>> unannounce(byte[] topic, KeyPair keyPair) {
    return lookupAndUnannounce(topic, keyPair, QueryOptions.DEFAULT).finished();
  }

  /** LOOKUP that unannounces {@code keyPair} wherever it is listed (JS {@code lookupAndUnannounce}). */
  public Query<LookupResult> lookupAndUnannounce(byte[] topic, KeyPair keyPair, QueryOptions options) {
    return completions.off(records.lookupAndUnannounce(key32(topic), keyPair, options));
  }

  // ---- client: values ----

  /** Stores {@code value} under its hash on the closest nodes (JS {@code immutablePut}). */
  public CompletableFuture<PutResult> immutablePut(byte[] value) {
    return completions.off(values.immutablePut(required(value), QueryOptions.DEFAULT));
  }

  /** The value stored under {@code hash}, checked against it (JS {@code immutableGet}). */
  public CompletableFuture<Optional<ImmutableValue>> immutableGet(byte[] hash) {
    return completions.off(values.immutableGet(key32(hash), QueryOptions.DEFAULT));
  }

  /** Stores {@code value} signed by {@code keyPair} with {@code seq} under {@code hash(publicKey)} (JS {@code mutablePut}). */
  public CompletableFuture<PutResult> mutablePut(KeyPair keyPair, byte[] value, long seq) {
    if (seq < 0) {
      return CompletableFuture.failedFuture(DhtException.badArgument("seq must be >= 0"));
    }
    return completions.off(values.mutablePut(keyPair, required(value), seq, QueryOptions.DEFAULT));
  }

  /** The latest valid value of {@code publicKey} (JS {@code mutableGet} with defaults). */
  public CompletableFuture<Optional<MutableValue>> mutableGet(byte[] publicKey) {
    return mutableGet(publicKey, MutableGetOptions.DEFAULT);
  }

  public CompletableFuture<Optional<MutableValue>> mutableGet(byte[] publicKey, MutableGetOptions options) {
    return completions.off(values.mutableGet(key32(publicKey), options.seq(), options.latest(), options.refresh(),
        options.query()));
  }

  // ---- connections (lib/server.js, lib/connect.js) ----

  /**
   * A server for this node (JS {@code dht.createServer(opts, onconnection)}); it listens once {@link
   * HyperDhtServer#listen} is called. UDX nodes only.
   */
  public HyperDhtServer createServer(ServerOptions options, ConnectionHandler handler) {
    return new HyperDhtServer(udxConnections(), options, handler);
  }

  /** Connects to the server with {@code publicKey} with the defaults; see {@link #connect(byte[], ConnectOptions,
   * SecretStreamListener)}. */
  public CompletableFuture<SecretStream> connect(byte[] publicKey) {
    return connect(publicKey, ConnectOptions.DEFAULT, null);
  }

  /**
   * Connects to the server with {@code publicKey} (JS {@code dht.connect}): finds it, sends the Noise handshake through
   * its relays, connects a UDX stream on the path its answer allows (direct, its public address, where its relay saw
   * it, or the LAN) and starts the secret stream with {@code listener} (null: messages go to {@code read()}).
   * Completes when the stream opened; fails with a {@link HyperDhtException} carrying the attempt's
   * {@link ConnectTrace} ({@code PEER_NOT_FOUND}, {@code PEER_CONNECTION_FAILED}, {@code SERVER_ERROR},
   * {@code SERVER_INCOMPATIBLE}, {@code CANNOT_HOLEPUNCH}, {@code NODE_DESTROYED}), with everything the attempt held
   * released. UDX nodes only. Cancelling the future aborts the attempt (its trace ends {@code CONNECT_ABORTED}) and
   * releases the same way; a stream that opens meanwhile is destroyed.
   */
  public CompletableFuture<SecretStream> connect(byte[] publicKey, ConnectOptions options,
      SecretStreamListener listener) {
    return ConnectAttempt.start(udxConnections(), key32(publicKey), options, listener);
  }

  /** This node's holepunch counters (JS {@code dht.stats.punches}, plus its socket pool's); zeros off UDX. */
  public PunchStats.Snapshot punchStats() {
    return connections == null ? new PunchStats().snapshot() : connections.punchStats.snapshot();
  }

  /** This node's blind-relay counters (JS {@code dht.stats.relaying}, plus upgrades); zeros off UDX. */
  public RelayStats.Snapshot relayStats() {
    return connections == null ? new RelayStats().snapshot() : connections.relayStats.snapshot();
  }

  /** The node's connection machinery, or null off UDX (tests of the server's handshakes use it). */
  Connections connections() {
    return connections;
  }

  /** A pool of connections by remote key on this node (JS {@code dht.pool()}). */
  public ConnectionPool pool() {
    return new ConnectionPool(this);
  }

  /** Streams, connects in flight, handshake slots and caches of this node's connections (zeros off UDX). */
  public ConnectionStats connectionStats() {
    return connections == null ? new ConnectionStats(0, 0, 0, 0, 0, 0, 0, 0) : connections.stats();
  }

  Connections udxConnections() {
    if (connections == null) {
      throw DhtException.badArgument("connections need a node on UDX sockets");
    }
    return connections;
  }

  /** Runs {@code read} on the loop and waits for it (at once when on the loop or closed). */
  <T> T onLoop(java.util.function.Supplier<T> read) {
    return completions.onLoop(node, read);
  }

  // ---- lifecycle ----

  /** How long {@link #close()} waits for servers' unannounces. */
  static final long CLOSE_WAIT_MS = 5_000;
  /** The most {@link #close()} waits in all: the unannounces, then the node and its sockets. */
  static final Duration CLOSE_LIMIT = Duration.ofMillis(CLOSE_WAIT_MS + 5_000);

  /**
   * Closes the node and its sockets (JS {@code destroy()}): servers close first (their unannounces get up to 5 s),
   * connects in flight fail with {@code NODE_DESTROYED}, and the UDX streams of connections are destroyed. Returns
   * within 10 s whatever happens meanwhile; see {@link #close(Duration)}.
   */
  @Override
  public void close() {
    close(CLOSE_LIMIT);
  }

  /**
   * Closes as {@link #close()} does, waiting at most {@code limit}: the teardown runs on a thread of its own, so a
   * step that blocks (a caller's stage on a failing connect's future runs where that future fails, say) cannot hold
   * the caller; past the limit this returns and the teardown finishes in the background. Idempotent; on the node's
   * loop thread it tears down inline, as anything it waits for would need that thread.
   */
  public void close(Duration limit) {
    if (node.inLoop()) {
      tearDown();
      return;
    }
    CompletableFuture<Void> done;
    synchronized (this) {
      if (closing == null) {
        closing = new CompletableFuture<>();
        CompletableFuture<Void> c = closing;
        Thread.ofPlatform().daemon().name("hyperdht-close").start(() -> {
          try {
            tearDown();
          } finally {
            c.complete(null);
          }
        });
      }
      done = closing;
    }
    try {
      done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // a step is stuck: the caller goes on, the teardown goes on without it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void tearDown() {
    if (connections != null) {
      connections.closeAll(CLOSE_WAIT_MS);
    }
    node.close();
    if (ownedUdx != null) {
      ownedUdx.close();
    }
  }

  @Override
  public String toString() {
    return "HyperDht[" + node + "]";
  }

  private static byte[] key32(byte[] key) {
    if (key == null || key.length != 32) {
      throw DhtException.badArgument("keys, topics and targets are 32 bytes");
    }
    return key;
  }

  private static byte[] required(byte[] value) {
    if (value == null) {
      throw DhtException.badArgument("a value is required");
    }
    return value;
  }
}
