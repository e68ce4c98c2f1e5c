package io.hyperinfer.dht;

import io.hyperinfer.dht.internal.NodeCore;
import io.hyperinfer.dht.internal.QueryRun;
import io.hyperinfer.encoding.HostPort;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A dht-rpc 6.27.0 node: Kademlia RPC over two datagram sockets, wire- and behaviour-compatible with the JS module.
 * It runs on its runtime's single loop thread, which owns the routing table and the request engine; this facade is
 * thread-safe and hops onto the loop for every call. Futures complete on the loop thread: their dependent stages
 * run there too unless added with an {@code *Async} method, so never block in one.
 *
 * <p>See {@code dht/README.md} for the API reference and the JS functions each part follows.
 */
public final class DhtNode implements AutoCloseable {
  private static final long CALL_TIMEOUT_SECONDS = 30;
  private final NodeRuntime runtime;
  private final NodeCore core;

  private DhtNode(NodeRuntime runtime, NodeOptions options, HostPort bootstrapperAddress) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.core = new NodeCore(this, runtime, Objects.requireNonNull(options, "options"), bootstrapperAddress);
    core.onLoop(core::start);
  }

  /** Starts a node on {@code runtime}; it bootstraps at once ({@link #ready()}). */
  public static DhtNode create(NodeRuntime runtime, NodeOptions options) {
    return new DhtNode(runtime, options, null);
  }

  /**
   * Starts a bootstrap node (JS {@code DHT.bootstrapper(port, host)}): not firewalled, persistent, and seeded with
   * its own server socket address as a NAT sample, so it has an id from the start. The server socket must be bound
   * to the address peers reach it at (not 0.0.0.0). {@code options} may list other bootstrappers.
   */
  public static DhtNode bootstrapper(NodeRuntime runtime, NodeOptions options) {
    HostPort self = runtime.serverSocket().localAddress();
    if (self.host().equals("0.0.0.0") || self.port() == 0) {
      throw DhtException.badArgument("a bootstrapper needs a concrete host and port, not " + self);
    }
    return new DhtNode(runtime, options.withMode(NodeOptions.Mode.PERSISTENT).withFirewalled(false), self);
  }

  // ---- the loop ----

  /** The runtime this node runs on (for UDX: {@code io.hyperinfer.dht.udx.UdxRuntime}, with its sockets). */
  public NodeRuntime runtime() {
    return runtime;
  }

  /** Whether the caller runs on the node's loop thread. */
  public boolean inLoop() {
    return runtime.inLoop();
  }

  /**
   * Runs {@code task} on the loop (at once when called there); exceptions are counted and dropped. Once the loop has
   * stopped (its socket closed) the task runs on the caller, one at a time, so what it releases is released and
   * nothing is thrown at a caller that is closing.
   */
  public void execute(Runnable task) {
    core.onLoopOrHere(task);
  }

  /** Runs {@code task} on the loop after {@code delayMs} on the loop's clock (virtual in simulations). Loop only. */
  public LoopTimer schedule(long delayMs, Runnable task) {
    requireLoop();
    return core.schedule(delayMs, task);
  }

  /** The loop's clock in milliseconds. */
  public long nowMs() {
    return runtime.nowMs();
  }

  // ---- lifecycle ----

  /** Completes once bootstrapped (JS {@code fullyBootstrapped()}); fails with NODE_DESTROYED if closed first. */
  public CompletableFuture<Void> ready() {
    return core.ready();
  }

  /**
   * Fails everything in flight with REQUEST_DESTROYED and closes the sockets (JS {@code destroy()}); on the caller
   * when the loop has stopped under the node (its socket closed), so what was in flight is failed all the same.
   */
  public CompletableFuture<Void> destroy() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    core.onLoopOrHere(() -> {
      core.destroy();
      done.complete(null);
    });
    return done;
  }

  /** {@link #destroy()} and wait for it. */
  @Override
  public void close() {
    if (inLoop()) {
      destroy();
      return;
    }
    try {
      destroy().get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      runtime.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean destroyed() {
    return core.isDestroyed();
  }

  // ---- serving ----

  /** Sets the handler of external commands (null: every external command is answered UNKNOWN_COMMAND). */
  public void onRequest(RequestHandler handler) {
    core.setHandler(handler);
  }

  public void addListener(NodeListener listener) {
    core.addListener(listener);
  }

  public void removeListener(NodeListener listener) {
    core.removeListener(listener);
  }

  /**
   * Tells the node that the machine's network interfaces changed, as its runtime's watcher does (dht-rpc
   * {@code _onnetworkchange}): listeners get {@link NodeListener#onNetworkChange} and then
   * {@link NodeListener#onNetworkUpdate}. For callers that learn of a change another way, and for tests.
   */
  public void networkChanged() {
    if (core.isDestroyed()) {
      return;
    }
    try {
      core.onLoop(core::networkChanged);
    } catch (RuntimeException closing) {
      // the loop stopped under us: a closing node has no listeners to tell
    }
  }

  /**
   * Feeds a datagram that arrived on another socket of this node (a hyperdht puncher socket) into the node, as JS
   * {@code dht.onmessage(socket, buf, rinfo)} does. Loop only.
   */
  public void onMessage(DhtSocket socket, byte[] data, HostPort from) {
    requireLoop();
    if (data.length > 1) {
      core.onDatagram(socket, data, from);
    }
  }

  // ---- requests ----

  /** PING {@code to} (JS {@code dht.ping}). */
  public CompletableFuture<Response> ping(HostPort to) {
    return ping(to, RequestOptions.DEFAULT);
  }

  public CompletableFuture<Response> ping(HostPort to, RequestOptions options) {
    return send(to, null, true, Commands.PING, null, null, options, 0);
  }

  /**
   * DELAYED_PING: {@code to} answers after {@code delayMs}; each send waits {@code delayMs + 1000}. Fails with
   * BAD_ARGUMENT above this node's {@code maxPingDelayMs} (JS throws "Delay exceeds max delay").
   */
  public CompletableFuture<Response> delayedPing(HostPort to, long delayMs, RequestOptions options) {
    if (delayMs < 0 || delayMs > core.options().maxPingDelayMs()) {
      return CompletableFuture.failedFuture(
          DhtException.badArgument("Delay exceeds max delay: " + core.options().maxPingDelayMs() + "ms"));
    }
    byte[] value = {(byte) delayMs, (byte) (delayMs >>> 8), (byte) (delayMs >>> 16), (byte) (delayMs >>> 24)};
    return send(to, null, true, Commands.DELAYED_PING, null, value, options, delayMs + 1000);
  }

  /**
   * One external request (JS {@code dht.request({token, command, target, value}, to, opts)}). Completes with the
   * reply, error replies included; fails with REQUEST_TIMEOUT, REQUEST_DESTROYED, NODE_DESTROYED or OVERLOADED.
   */
  public CompletableFuture<Response> request(HostPort to, long command, byte[] target, byte[] value, byte[] token,
      RequestOptions options) {
    if (command < 0 || (target != null && target.length != 32) || (token != null && token.length != 32)) {
      return CompletableFuture.failedFuture(DhtException.badArgument("bad command, target or token"));
    }
    return send(to, token, false, command, target, value, options, 0);
  }

  private CompletableFuture<Response> send(HostPort to, byte[] token, boolean internal, long command, byte[] target,
      byte[] value, RequestOptions options, long timeoutMs) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(options, "options");
    loopOrFail(result, () -> core.request(to, token, internal, command, target, value, options, timeoutMs, result));
    return result;
  }

  // ---- queries ----

  /** FIND_NODE walk towards {@code target} (JS {@code dht.findNode}). */
  public Query<Response> findNode(byte[] target) {
    return findNode(target, QueryOptions.DEFAULT);
  }

  public Query<Response> findNode(byte[] target, QueryOptions options) {
    return findNode(target, options, Function.identity(), null);
  }

  /** {@link #findNode(byte[], QueryOptions)} with each reply mapped and streamed, as in {@link #query}. */
  public <T> Query<T> findNode(byte[] target, QueryOptions options, Function<Response, T> map,
      Consumer<? super T> onData) {
    checkTarget(target);
    Objects.requireNonNull(map, "map");
    return start(core.newQuery(target, true, Commands.FIND_NODE, null, options, map, onData));
  }

  /** An iterative query for an external command (JS {@code dht.query}); replies are kept as they are. */
  public Query<Response> query(QueryRequest request, QueryOptions options) {
    return query(request, options, Function.identity(), null);
  }

  /**
   * An iterative query whose successful replies are mapped by {@code map} (null skips a reply, as JS's map
   * returning null does) and streamed to {@code onData} (may be null). Both run on the loop.
   */
  public <T> Query<T> query(QueryRequest request, QueryOptions options, Function<Response, T> map,
      Consumer<? super T> onData) {
    Objects.requireNonNull(map, "map");
    return start(core.newQuery(request.target(), false, request.command(), request.value(), options, map, onData));
  }

  private <T> Query<T> start(QueryRun<T> query) {
    loopOrFail(query.finished(), () -> {
      core.queryStarted();
      query.start();
    });
    return query;
  }

  /** A new session (JS {@code dht.session()}). */
  public Session session() {
    return core.newSession();
  }

  // ---- table ----

  /** Adds a node to the routing table without contacting it (JS {@code addNode}). */
  public void addNode(HostPort address) {
    core.onLoop(() -> core.addNodePublic(address));
  }

  /** Starts a background FIND_NODE for a random table node (JS {@code refresh}). */
  public void refresh() {
    core.onLoop(core::refresh);
  }

  /** Table nodes, most recently heard from first (JS {@code toArray({limit})}). */
  public List<Peer> nodes(int limit) {
    return call(() -> core.nodes(limit), List.of());
  }

  /** The table's {@code k} nodes closest to {@code target}, in the row-walk order replies use. */
  public List<Peer> closestNodes(byte[] target, int k) {
    checkTarget(target);
    return call(() -> core.closest(target, k), List.of());
  }

  public int tableSize() {
    return call(core::tableSize, 0);
  }

  // ---- state ----

  /** This node's id, or null while ephemeral (JS {@code dht.id}). */
  public byte[] id() {
    return core.isEphemeral() ? null : core.currentTableId().clone();
  }

  /** The id the routing table is built around (random while ephemeral). */
  public byte[] tableId() {
    return core.currentTableId().clone();
  }

  public boolean ephemeral() {
    return core.isEphemeral();
  }

  public boolean firewalled() {
    return core.isFirewalled();
  }

  public boolean bootstrapped() {
    return core.isBootstrapped();
  }

  public boolean online() {
    return core.isOnline();
  }

  public boolean degraded() {
    return core.isDegraded();
  }

  /** The sampled public host, or null (JS {@code dht.host}). */
  public String host() {
    HostPort v = core.natView();
    return v == null ? null : v.host();
  }

  /** The sampled public port; 0 if unknown or randomised (JS {@code dht.port}). */
  public int port() {
    HostPort v = core.natView();
    return v == null ? 0 : v.port();
  }

  /** Behind a NAT that changes the port per destination (JS {@code randomized}). */
  public boolean randomized() {
    HostPort v = core.natView();
    return v != null && v.port() == 0;
  }

  /**
   * The address others can reach this node at, or null: only when not firewalled and the sampled port is the
   * server socket's (JS {@code remoteAddress()}).
   */
  public HostPort remoteAddress() {
    HostPort v = core.natView();
    if (v == null || v.port() == 0 || core.isFirewalled()) {
      return null;
    }
    return v.port() == serverSocket().localAddress().port() ? v : null;
  }

  /** The server socket's bound address. */
  public HostPort localAddress() {
    return serverSocket().localAddress();
  }

  /** The socket requests leave from now: the client socket while firewalled, else the server socket. */
  public DhtSocket socket() {
    return core.isFirewalled() ? runtime.clientSocket() : runtime.serverSocket();
  }

  public DhtSocket serverSocket() {
    return runtime.serverSocket();
  }

  public DhtSocket clientSocket() {
    return runtime.clientSocket();
  }

  public DhtStats stats() {
    return core.stats();
  }

  @Override
  public String toString() {
    return "DhtNode[" + localAddress() + (ephemeral() ? ", ephemeral" : ", persistent")
        + (firewalled() ? ", firewalled]" : "]");
  }

  // ---- helpers ----

  private void requireLoop() {
    if (!runtime.inLoop()) {
      throw new IllegalStateException("call this on the node's loop thread");
    }
  }

  private static void checkTarget(byte[] target) {
    if (target == null || target.length != 32) {
      throw DhtException.badArgument("target must be 32 bytes");
    }
  }

  private void loopOrFail(CompletableFuture<?> result, Runnable task) {
    try {
      core.onLoop(() -> {
        if (core.isDestroyed()) {
          result.completeExceptionally(DhtException.nodeDestroyed());
          return;
        }
        task.run();
      });
    } catch (RuntimeException closed) {
      result.completeExceptionally(DhtException.nodeDestroyed());
    }
  }

  /** Runs a read on the loop and waits for it (a caller on the loop runs it directly). */
  private <T> T call(Supplier<T> read, T whenClosed) {
    if (runtime.inLoop()) {
      return read.get();
    }
    CompletableFuture<T> f = new CompletableFuture<>();
    loopOrFail(f, () -> f.complete(read.get()));
    try {
      return f.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return whenClosed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return whenClosed;
    }
  }
}
