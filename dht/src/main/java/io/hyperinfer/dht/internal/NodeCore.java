package io.hyperinfer.dht.internal;

import io.hyperinfer.dht.Commands;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.DhtStats;
import io.hyperinfer.dht.NodeListener;
import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.dht.NodeRuntime;
import io.hyperinfer.dht.Peer;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.dht.RequestHandler;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.dht.Response;
import io.hyperinfer.dht.wire.NodeId;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The dht-rpc node (dht-rpc {@code index.js}): the routing table and its node set, the request engine, NAT samples,
 * modes and events. Upkeep lives in {@link Upkeep}, bootstrap and reachability in {@link NetworkCheck}, command
 * answers in {@link Commands}. Confined to the runtime's loop thread; {@link #onLoop} is the door in, and the
 * volatile state fields may be read from any thread.
 */
public final class NodeCore implements Io.Host {
  static final OutgoingRequest.Callbacks IGNORE = new OutgoingRequest.Callbacks() {
    @Override
    public void onResponse(Response response, OutgoingRequest request) {}

    @Override
    public void onError(DhtException error, OutgoingRequest request) {}
  };

  final DhtNode facade;
  final NodeRuntime runtime;
  final NodeOptions options;
  final Io io;
  final Timers timers = new Timers();
  /** Serialises the tasks callers run once the loop has stopped ({@link #onLoopOrHere}). */
  private final Object afterLoop = new Object();
  final TimeOrderedSet nodes = new TimeOrderedSet();
  final NetworkHealth health = new NetworkHealth();
  final Upkeep upkeep;
  final NetworkCheck network;
  final InternalCommands commands;
  final int concurrency;
  final boolean adaptive;
  final boolean forcePersistent;
  final List<Peer> bootstrapPeers;
  private final Predicate<Peer> filterNode;
  private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();
  private volatile RequestHandler handler;
  volatile RoutingTable table;
  NatSampler nat = new NatSampler();
  volatile HostPort natView;
  volatile boolean ephemeral = true;
  volatile boolean firewalled;
  volatile boolean bootstrapped;
  volatile boolean destroyed;
  volatile boolean online = true;
  volatile boolean degraded;
  volatile DhtStats statsView;
  final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final List<String> nonPersistentSamples = new ArrayList<>();
  boolean copyingTable;
  int downHintsSentPerTick;
  int queriesActive;
  long queriesTotal;
  long handlerErrors;
  long loopErrors;
  private long scheduledWake = Long.MAX_VALUE;

  public NodeCore(DhtNode facade, NodeRuntime runtime, NodeOptions options, HostPort bootstrapperAddress) {
    this.facade = facade;
    this.runtime = runtime;
    this.options = options;
    this.concurrency = options.concurrency();
    this.adaptive = options.mode() == NodeOptions.Mode.ADAPTIVE;
    this.forcePersistent = options.mode() == NodeOptions.Mode.PERSISTENT;
    this.firewalled = options.firewalled();
    this.filterNode = options.filterNode();
    this.bootstrapPeers = options.bootstrap().stream().map(Peer::withDerivedId).toList();
    byte[] id = new byte[32];
    runtime.random().nextBytes(id);
    this.table = new RoutingTable(id, this::onFullRow);
    this.io = new Io(this, runtime.serverSocket(), runtime.clientSocket(), firewalled, options.maxWindow(),
        runtime.random());
    this.upkeep = new Upkeep(this);
    this.network = new NetworkCheck(this);
    this.commands = new InternalCommands(this);
    if (bootstrapperAddress != null) {
      nat.add(bootstrapperAddress.host(), bootstrapperAddress.port());
      publishNat();
    }
    publishStats();
  }

  /** Binds the node to its runtime and starts the bootstrap; loop only. */
  public void start() {
    runtime.start(this::onDatagramEntry);
    runtime.watchNetwork(() -> onLoop(this::networkChanged));
    schedule(Io.DRAIN_INTERVAL_MS, this::drain);
    upkeep.start();
    for (int i = options.nodes().size() - 1; i >= 0; i--) {
      addNode(options.nodes().get(i));
    }
    network.bootstrap();
  }

  // ---- the loop door ----

  /**
   * Runs {@code task} on the loop (now if called there); its exceptions are counted, never thrown out. Throws what the
   * runtime throws when its loop has stopped and refuses the task (the caller answers as a closed node would).
   */
  public void onLoop(Runnable task) {
    if (runtime.inLoop()) {
      guard(task);
    } else {
      runtime.execute(() -> guard(task));
    }
  }

  /**
   * As {@link #onLoop}, but a task the loop refuses because it has stopped (the node's socket closed under it, as a
   * killed process's does) runs here instead: nothing runs on a stopped loop any more, so the node's state has no other
   * owner (a UDX socket closes itself on its caller the same way), and such tasks run one at a time. For work that
   * releases something (requests in flight, a server's handshakes), which must neither be lost nor thrown at a
   * caller that is tearing down. Never throws.
   */
  public void onLoopOrHere(Runnable task) {
    try {
      onLoop(task);
    } catch (RuntimeException stopped) {
      synchronized (afterLoop) {
        try {
          task.run();
        } catch (RuntimeException e) {
          loopErrors++;
        }
        publishStats();
      }
    }
  }

  private void guard(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      loopErrors++;
    } finally {
      if (!destroyed) {
        armWakeup();
      }
      publishStats();
    }
  }

  private void onDatagramEntry(DhtSocket socket, byte[] data, HostPort from) {
    guard(() -> onDatagram(socket, data, from));
  }

  /** A datagram from any socket of this node (extra sockets included); loop only. */
  public void onDatagram(DhtSocket socket, byte[] data, HostPort from) {
    if (destroyed) {
      return;
    }
    if (socket == io.serverSocket) {
      network.sawOnServerSocket(from.host());
    }
    io.onDatagram(socket, data, from);
  }

  /** A timer on the loop's clock; loop only. */
  public Timers.Timer schedule(long delayMs, Runnable task) {
    Timers.Timer t = timers.schedule(runtime.nowMs() + delayMs, task);
    armWakeup();
    return t;
  }

  private void armWakeup() {
    long next = timers.nextDeadline();
    if (next == Long.MAX_VALUE || next >= scheduledWake) {
      return;
    }
    scheduledWake = next;
    runtime.schedule(Math.max(0, next - runtime.nowMs()), () -> onWake(next));
  }

  private void onWake(long target) {
    if (target == scheduledWake) {
      scheduledWake = Long.MAX_VALUE;
    }
    guard(() -> timers.runDue(runtime.nowMs(), this::guard));
  }

  private void drain() {
    io.drain();
    schedule(Io.DRAIN_INTERVAL_MS, this::drain);
  }

  // ---- Io.Host ----

  @Override
  public Timers timers() {
    return timers;
  }

  @Override
  public long nowMs() {
    return runtime.nowMs();
  }

  @Override
  public byte[] tableId() {
    return table.id;
  }

  @Override
  public List<HostPort> closestAddresses(byte[] target) {
    List<TableNode> closest = table.closest(target, RoutingTable.K);
    List<HostPort> out = new ArrayList<>(closest.size());
    for (TableNode n : closest) {
      out.add(n.address());
    }
    return out;
  }

  @Override
  public void onRequest(InboundRequest req, boolean external) {
    if (req.from().id() != null) {
      addNodeFromNetwork(!external, req.from(), req.to());
    }
    if (req.internal()) {
      commands.onInternal(req);
      return;
    }
    RequestHandler h = handler;
    boolean taken;
    try {
      taken = h != null && h.onRequest(req);
    } catch (RuntimeException e) {
      handlerErrors++;
      return;
    }
    if (!taken) {
      req.sendError(Response.UNKNOWN_COMMAND, req.target() != null);
    }
  }

  @Override
  public void onResponse(Response response, boolean external) {
    addNodeFromNetwork(!external, response.from(), response.to());
  }

  @Override
  public void onTimeout(OutgoingRequest req) {
    if (req.to.id() == null) {
      return;
    }
    TableNode node = table.get(req.to.id());
    if (node != null) {
      removeNode(node);
    }
  }

  // ---- table and NAT ----

  boolean accepts(Peer peer) {
    return filterNode == null || filterNode.test(peer);
  }

  void addNodeFromNetwork(boolean sample, Peer from, HostPort to) {
    if (!accepts(from)) {
      return;
    }
    if (from.id() == null) {
      sampleBootstrapMaybe(from, to);
      return;
    }
    long tick = upkeep.tick;
    TableNode old = table.get(from.id());
    if (old != null) {
      if (sample && (old.sampled == 0 || tick - old.sampled >= Upkeep.OLD_NODE)) {
        old.to = to;
        old.sampled = tick;
        natAdd(to.host(), to.port());
      }
      old.pinged = old.seen = tick;
      nodes.add(old);
      return;
    }
    addNode(new TableNode(from.id(), from.host(), from.port(), to));
  }

  /** A NAT sample from an id-less node, at most one per bootstrap node (JS {@code _sampleBootstrapMaybe}). */
  private void sampleBootstrapMaybe(Peer from, HostPort to) {
    if (nonPersistentSamples.size() >= Math.max(1, bootstrapPeers.size())) {
      return;
    }
    String key = from.host() + ":" + from.port();
    if (nonPersistentSamples.contains(key)) {
      return;
    }
    nonPersistentSamples.add(key);
    natAdd(to.host(), to.port());
  }

  void addNode(HostPort address) {
    addNode(new TableNode(NodeId.of(address), address.host(), address.port(), null));
  }

  void addNode(TableNode node) {
    if (nodes.has(node) || Arrays.equals(node.id, table.id)) {
      return;
    }
    long tick = upkeep.tick;
    node.added = node.pinged = node.seen = tick;
    if (!table.add(node)) {
      return;
    }
    nodes.add(node);
    if (node.to != null && node.sampled == 0) {
      node.sampled = tick;
      natAdd(node.to.host(), node.to.port());
    }
    Peer p = node.peer();
    emit(l -> l.onAddNode(p));
  }

  void removeNode(TableNode node) {
    if (!nodes.has(node)) {
      return;
    }
    table.remove(node.id);
    nodes.remove(node);
    Peer p = node.peer();
    emit(l -> l.onRemoveNode(p));
  }

  private void onFullRow(TableNode candidate, List<TableNode> row) {
    if (!copyingTable) {
      upkeep.onFullRow(candidate, row);
    }
  }

  void natAdd(String host, int port) {
    String prevHost = nat.host();
    int prevPort = nat.port();
    nat.add(host, port);
    if (java.util.Objects.equals(prevHost, nat.host()) && prevPort == nat.port()) {
      return;
    }
    publishNat();
    emit(l -> l.onNatUpdate(nat.host(), nat.port()));
  }

  void publishNat() {
    natView = nat.host() == null ? null : new HostPort(nat.host(), nat.port());
  }

  void clearNonPersistentSamples() {
    nonPersistentSamples.clear();
  }

  /** Replaces the table with one around {@code id}, keeping the nodes that fit (JS {@code _updateNetworkState}). */
  void rebuildTable(byte[] id) {
    List<TableNode> old = table.toList();
    RoutingTable fresh = new RoutingTable(id, this::onFullRow);
    copyingTable = true;
    try {
      table = fresh;
      for (TableNode n : old) {
        if (Arrays.equals(n.id, id)) {
          continue;
        }
        if (!fresh.add(n)) {
          nodes.remove(n);
        }
      }
    } finally {
      copyingTable = false;
    }
  }

  List<Peer> bootstrapPeers() {
    return bootstrapPeers;
  }

  // ---- requests ----

  /** JS {@code _request}: a sent request, or null when none was sent (destroyed, overloaded, hints off). */
  OutgoingRequest request(Peer to, boolean force, boolean internal, long command, byte[] target, byte[] value,
      SessionImpl session, OutgoingRequest.Callbacks callbacks) {
    if (internal && command == Commands.DOWN_HINT && !options.sendDownHints()) {
      return null;
    }
    OutgoingRequest req;
    try {
      req = io.create(to, null, internal, command, target, value, session);
    } catch (DhtException overloaded) {
      return null;
    }
    if (req == null) {
      return null;
    }
    req.callbacks = callbacks;
    req.send(force);
    return req;
  }

  boolean takeDownHintBudget() {
    int limit = options.downHintsRateLimit();
    if (limit != -1 && downHintsSentPerTick >= limit) {
      return false;
    }
    downHintsSentPerTick++;
    return true;
  }

  /** A request for a caller (JS {@code _requestToPromise}); completes on the loop. Loop only. */
  public void request(HostPort to, byte[] token, boolean internal, long command, byte[] target, byte[] value,
      RequestOptions options, long timeoutMs, CompletableFuture<Response> result) {
    OutgoingRequest req;
    try {
      req = io.create(Peer.of(to), token, internal, command, target, value, (SessionImpl) options.session());
    } catch (DhtException e) {
      result.completeExceptionally(e);
      return;
    }
    // never null: the facade calls this only while the node is not destroyed
    if (options.socket() != null) {
      req.socket = options.socket();
    }
    if (!options.retry()) {
      req.retries = 0;
    }
    req.timeoutMs = options.timeoutMs() > 0 ? options.timeoutMs() : timeoutMs;
    req.callbacks = new OutgoingRequest.Callbacks() {
      @Override
      public void onResponse(Response response, OutgoingRequest request) {
        result.complete(response);
      }

      @Override
      public void onError(DhtException error, OutgoingRequest request) {
        result.completeExceptionally(error);
      }
    };
    req.send(false);
  }

  /** A new query; start it on the loop with {@link QueryRun#start}. Any thread. */
  public <T> QueryRun<T> newQuery(byte[] target, boolean internal, long command, byte[] value, QueryOptions options,
      Function<Response, T> map, Consumer<? super T> onData) {
    return new QueryRun<>(this, target, internal, command, value, options, map, onData);
  }

  /** A background FIND_NODE for {@code target} that yields to other traffic (JS {@code _backgroundQuery}). */
  QueryRun<Response> backgroundQuery(byte[] target) {
    upkeep.refreshTicks = Upkeep.REFRESH_TICKS;
    int background = Math.min(concurrency, Math.max(2, concurrency / 8));
    QueryRun<Response> q = newQuery(target, true, Commands.FIND_NODE, null,
        QueryOptions.DEFAULT.withConcurrency(background), Function.identity(), null);
    q.hook(r -> q.concurrency = io.inflight() < 3 ? concurrency : background);
    return q;
  }

  public void queryStarted() {
    upkeep.refreshTicks = Upkeep.REFRESH_TICKS;
  }

  public SessionImpl newSession() {
    return new SessionImpl(this);
  }

  // ---- events ----

  public void setHandler(RequestHandler h) {
    handler = h;
  }

  public void addListener(NodeListener l) {
    listeners.add(l);
  }

  public void removeListener(NodeListener l) {
    listeners.remove(l);
  }

  void emit(Consumer<NodeListener> event) {
    for (NodeListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        handlerErrors++;
      }
    }
  }

  void setNetworkState(boolean isOnline, boolean isDegraded) {
    if (online == isOnline && degraded == isDegraded) {
      return;
    }
    online = isOnline;
    degraded = isDegraded;
    emit(l -> l.onNetworkUpdate(isOnline, isDegraded));
  }

  /** dht-rpc {@code _onnetworkchange}: 'network-change', then 'network-update' with the health as it is. */
  public void networkChanged() {
    if (destroyed) {
      return;
    }
    emit(NodeListener::onNetworkChange);
    boolean isOnline = online;
    boolean isDegraded = degraded;
    emit(l -> l.onNetworkUpdate(isOnline, isDegraded));
  }

  // ---- views for the facade (loop only unless volatile) ----

  public List<Peer> nodes(int limit) {
    return nodes.latestFirst(limit).stream().map(TableNode::peer).toList();
  }

  public List<Peer> closest(byte[] target, int k) {
    return table.closest(target, k).stream().map(TableNode::peer).toList();
  }

  public int tableSize() {
    return table.size();
  }

  public void addNodePublic(HostPort address) {
    addNode(address);
  }

  public void refresh() {
    upkeep.refresh();
  }

  public CompletableFuture<Void> ready() {
    return ready;
  }

  public NodeOptions options() {
    return options;
  }

  public byte[] currentTableId() {
    return table.id;
  }

  public boolean isEphemeral() {
    return ephemeral;
  }

  public boolean isFirewalled() {
    return firewalled;
  }

  public boolean isBootstrapped() {
    return bootstrapped;
  }

  public boolean isOnline() {
    return online;
  }

  public boolean isDegraded() {
    return degraded;
  }

  public boolean isDestroyed() {
    return destroyed;
  }

  public HostPort natView() {
    return natView;
  }

  public DhtStats stats() {
    return statsView;
  }

  private void publishStats() {
    statsView = new DhtStats(queriesActive, queriesTotal, io.inflight(), io.requestsTotal, io.responses, io.timeouts,
        io.retries, io.malformed, io.invalidTokens, io.unmatchedResponses, handlerErrors, io.overloaded,
        commands.droppedDelayedPings, loopErrors, io.sendErrors);
  }

  /** Fails everything in flight, stops the timers and closes the runtime; loop only. */
  public void destroy() {
    if (destroyed) {
      return;
    }
    destroyed = true;
    timers.clear();
    ready.completeExceptionally(DhtException.nodeDestroyed());
    io.destroyAll(DhtException.requestDestroyed());
    publishStats();
    runtime.close();
  }
}
