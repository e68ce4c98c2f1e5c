package io.hyperinfer.dht.internal;

import io.hyperinfer.dht.Commands;
import io.hyperinfer.dht.Commit;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.Peer;
import io.hyperinfer.dht.Query;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.dht.QueryRequest;
import io.hyperinfer.dht.QueryResult;
import io.hyperinfer.dht.Response;
import io.hyperinfer.dht.wire.NodeId;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An iterative Kademlia walk towards a target with an optional commit (dht-rpc {@code lib/query.js}): seeds, a
 * concurrency window widened by slow requests, DONE/DOWN bookkeeping with DOWN_HINTs to referrers, the closest 20
 * replies by XOR distance, a re-seed from the table when cached seeds mostly failed, and a commit to every closest
 * reply. May be constructed on any thread; everything else runs on the loop.
 *
 * @param <T> what each accepted reply maps to
 */
public final class QueryRun<T> implements Query<T> {
  static final int DEFAULT_RETRIES = 5;
  static final int DOWN_HINT_RETRIES = 3;
  /** Addresses a query remembers; far more than a walk visits, a cap for hostile closer-node lists. */
  static final int MAX_SEEN = 4096;
  private static final int MAX_REFS = 64;

  private static final class Seen {
    static final Seen DONE = new Seen();
    static final Seen DOWN = new Seen();
    final List<Peer> refs = new ArrayList<>();
  }

  private final NodeCore node;
  private final byte[] target;
  private final boolean internal;
  private final long command;
  private final byte[] value;
  private final int k = RoutingTable.K;
  int concurrency;
  private final int retries;
  private final boolean force;
  private final Commit commit;
  private final SessionImpl session;
  private final boolean ownSession;
  private final Function<Response, T> map;
  private final Consumer<? super T> onData;
  private final List<Consumer<Response>> hooks = new ArrayList<>();
  private final CompletableFuture<QueryResult<T>> finished = new CompletableFuture<>();
  private final List<Response> closestReplies = new ArrayList<>();
  private final List<T> results = new ArrayList<>();
  private final Map<HostPort, Seen> seen = new HashMap<>();
  private final ArrayList<Peer> pending = new ArrayList<>();
  private boolean onlyClosestNodes;
  private boolean fromTable;
  private boolean slowdown;
  private boolean committing;
  private boolean done;
  private boolean started;
  private int inflight;
  private int slow;
  private int successes;
  private int errors;

  QueryRun(NodeCore node, byte[] target, boolean internal, long command, byte[] value, QueryOptions options,
      Function<Response, T> map, Consumer<? super T> onData) {
    this.node = node;
    this.target = target;
    this.internal = internal;
    this.command = command;
    this.value = value;
    this.concurrency = options.concurrency() > 0 ? options.concurrency() : node.concurrency;
    this.retries = options.retries() >= 0 ? options.retries()
        : internal && command == Commands.DOWN_HINT ? DOWN_HINT_RETRIES : DEFAULT_RETRIES;
    this.force = options.force();
    this.commit = options.commit();
    this.ownSession = options.session() == null;
    this.session = ownSession ? new SessionImpl(node) : (SessionImpl) options.session();
    this.map = map;
    this.onData = onData;
    List<HostPort> seeds = options.nodes();
    for (int i = seeds.size() - 1; i >= 0; i--) {
      addPending(Peer.withDerivedId(seeds.get(i)), null);
    }
    this.onlyClosestNodes = options.onlyClosestNodes();
  }

  /** Sees every reply (before the map) on the loop: the node's own bootstrap and background hooks. */
  QueryRun<T> hook(Consumer<Response> onReply) {
    hooks.add(onReply);
    return this;
  }

  @Override
  public CompletableFuture<QueryResult<T>> finished() {
    return finished;
  }

  @Override
  public void destroy() {
    node.onLoop(() -> fail(DhtException.requestDestroyed()));
  }

  /** Opens the walk: table seeds, then bootstrap nodes, then the first requests. Loop only. */
  public void start() {
    started = true;
    node.queriesActive++;
    node.queriesTotal++;
    addFromTable();
    if (pending.size() < k) {
      for (Peer b : node.bootstrapPeers()) {
        addPending(b, null);
      }
    }
    readMore();
  }

  private void addFromTable() {
    if (pending.size() >= k) {
      return;
    }
    fromTable = true;
    for (TableNode n : node.table.closest(target, k - pending.size())) {
      addPending(n.peer(), null);
    }
  }

  private boolean isCloser(byte[] id) {
    return closestReplies.size() < k || compare(id, closestReplies.getLast().from().id()) < 0;
  }

  private boolean addPending(Peer peer, Peer ref) {
    if (onlyClosestNodes) {
      return false;
    }
    HostPort addr = peer.address();
    Seen refs = seen.get(addr);
    boolean closer = isCloser(peer.id());
    if (refs == Seen.DONE) {
      return closer;
    }
    if (refs == Seen.DOWN) {
      if (ref != null) {
        downHint(ref, addr);
      }
      return closer;
    }
    if (refs != null) {
      if (ref != null && refs.refs.size() < MAX_REFS) {
        refs.refs.add(ref);
      }
      return closer;
    }
    if (!closer || seen.size() >= MAX_SEEN) {
      return false;
    }
    Seen fresh = new Seen();
    if (ref != null) {
      fresh.refs.add(ref);
    }
    seen.put(addr, fresh);
    pending.add(peer);
    return true;
  }

  private void readMore() {
    if (done || committing) {
      return;
    }
    int window = (slowdown ? 3 : concurrency) + slow;
    while (inflight < window && !pending.isEmpty()) {
      Peer next = pending.removeLast();
      if (next.id() != null && !isCloser(next.id())) {
        continue;
      }
      visit(next);
    }
    // reusing cached nodes: give the closest a chance to answer before going broad
    if (!fromTable && successes == 0 && errors == 0) {
      slowdown = true;
    }
    if (!pending.isEmpty() || done) {
      return;
    }
    if (inflight == 0 || (slow == inflight && closestReplies.size() >= k)) {
      if (!fromTable && successes < k / 4) {
        addFromTable();
        readMore();
        return;
      }
      flush();
    }
  }

  private void visit(Peer to) {
    inflight++;
    OutgoingRequest req = node.request(to, force, internal, command, target, value, session,
        new OutgoingRequest.Callbacks() {
          @Override
          public void onResponse(Response response, OutgoingRequest request) {
            onVisit(response, request);
          }

          @Override
          public void onError(DhtException error, OutgoingRequest request) {
            onVisitError(error, request);
          }
        });
    if (req == null) {
      inflight--;
      if (node.destroyed) {
        fail(DhtException.nodeDestroyed());
      } else {
        errors++;
      }
      return;
    }
    req.retries = force ? 0 : retries;
    req.onCycle = () -> onCycle(req);
  }

  private void onCycle(OutgoingRequest req) {
    req.onCycle = null;
    slow++;
    readMore();
  }

  private void settle(OutgoingRequest req) {
    if (req.onCycle == null) {
      slow--;
    } else {
      req.onCycle = null;
    }
    inflight--;
  }

  private void onVisit(Response m, OutgoingRequest req) {
    settle(req);
    seen.put(req.to.address(), Seen.DONE);
    if (committing || done) {
      return;
    }
    if (m.error() == 0) {
      successes++;
    } else {
      errors++;
    }
    if (m.error() == 0 && m.from().id() != null && isCloser(m.from().id())) {
      pushClosest(m);
    }
    for (HostPort addr : m.closerNodes()) {
      Peer peer = Peer.withDerivedId(addr);
      if (!node.accepts(peer) || Arrays.equals(peer.id(), node.table.id)) {
        continue;
      }
      // JS stops at the first node that is not closer (or already known and not closer)
      if (!addPending(peer, m.from())) {
        break;
      }
    }
    if (!fromTable && successes + errors >= concurrency) {
      slowdown = false;
    }
    if (m.error() != 0) {
      readMore();
      return;
    }
    for (Consumer<Response> h : hooks) {
      h.accept(m);
    }
    deliver(m);
    readMore();
  }

  /** Maps and streams one reply; a map or listener that throws loses that reply only (and is counted). */
  private void deliver(Response m) {
    try {
      T data = map.apply(m);
      if (data != null) {
        results.add(data);
        if (onData != null) {
          onData.accept(data);
        }
      }
    } catch (RuntimeException e) {
      node.handlerErrors++;
    }
  }

  private void onVisitError(DhtException error, OutgoingRequest req) {
    HostPort addr = req.to.address();
    Seen refs = seen.get(addr);
    if (error.code() == DhtException.Code.REQUEST_TIMEOUT) {
      seen.put(addr, Seen.DOWN);
      if (refs != null) {
        for (Peer ref : refs.refs) {
          downHint(ref, addr);
        }
      }
    }
    settle(req);
    errors++;
    readMore();
  }

  private void downHint(Peer ref, HostPort down) {
    if (!node.takeDownHintBudget()) {
      return;
    }
    node.request(ref, false, true, Commands.DOWN_HINT, null, Compact.encode(HostPort.IPV4, down), session,
        NodeCore.IGNORE);
  }

  private void pushClosest(Response m) {
    closestReplies.add(m);
    for (int i = closestReplies.size() - 2; i >= 0; i--) {
      Response prev = closestReplies.get(i);
      int cmp = compare(prev.from().id(), m.from().id());
      if (cmp < 0) {
        break;
      }
      if (cmp == 0) {
        closestReplies.remove(i + 1);
        break;
      }
      closestReplies.set(i + 1, prev);
      closestReplies.set(i, m);
    }
    if (closestReplies.size() > k) {
      closestReplies.removeLast();
    }
  }

  /** XOR distance order towards the target. */
  private int compare(byte[] a, byte[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        continue;
      }
      int t = target[i] & 0xff;
      return (t ^ (a[i] & 0xff)) - (t ^ (b[i] & 0xff));
    }
    return 0;
  }

  private void flush() {
    committing = true;
    if (commit == null) {
      succeed();
      return;
    }
    if (closestReplies.isEmpty()) {
      fail(DhtException.tooFewNodes());
      return;
    }
    QueryRequest request = new QueryRequest(target, command, value);
    int[] left = {closestReplies.size()};
    int[] ok = {0};
    for (Response m : List.copyOf(closestReplies)) {
      CompletionStage<?> stage;
      try {
        stage = commit.commit(m, request, node.facade);
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      stage.whenComplete((r, err) -> node.onLoop(() -> {
        if (err == null) {
          ok[0]++;
        }
        if (--left[0] == 0) {
          if (ok[0] > 0) {
            succeed();
          } else {
            fail(unwrap(err));
          }
        }
      }));
    }
  }

  private static Throwable unwrap(Throwable err) {
    return err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
  }

  private void succeed() {
    if (done) {
      return;
    }
    QueryResult<T> result = new QueryResult<>(results, closestReplies, successes, errors);
    close();
    finished.complete(result);
  }

  void fail(Throwable error) {
    if (done) {
      return;
    }
    close();
    finished.completeExceptionally(error);
  }

  private void close() {
    done = true;
    if (started) {
      node.queriesActive--;
    }
    if (ownSession) {
      session.destroyNow();
    }
  }

}
