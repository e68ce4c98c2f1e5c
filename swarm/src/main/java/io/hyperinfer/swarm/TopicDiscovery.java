package io.hyperinfer.swarm;

import io.hyperinfer.dht.Query;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.AnnounceOptions;
import io.hyperinfer.hyperdht.LookupResult;
import io.hyperinfer.hyperdht.wire.Peer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * One joined topic (JS {@code lib/peer-discovery.js}): its sessions decide whether we announce (server), look up
 * (client) or both; each refresh runs one announce or lookup and hands the peers found to the swarm; refreshes repeat
 * every 10 minutes plus up to 2 of jitter; leaving unannounces. Confined to the swarm loop.
 */
final class TopicDiscovery {
  static final long REFRESH_INTERVAL_MS = 10 * 60_000;
  static final long RANDOM_JITTER_MS = 2 * 60_000;
  /** JS {@code limit: Infinity}: every peer a refresh finds is handed to the swarm. */
  static final int UNLIMITED = Integer.MAX_VALUE;

  private final Swarm swarm;
  private final byte[] topic;
  private final List<JoinSession> sessions = new ArrayList<>();
  private CompletableFuture<Void> wait;
  int clientSessions;
  int serverSessions;
  private boolean isServer;
  private boolean isClient;
  private boolean destroyed;
  private boolean suspended;
  private CompletableFuture<Void> destroying;
  private CompletableFuture<Void> suspending;
  private Query<LookupResult> activeQuery;
  private CompletableFuture<Void> currentRefresh;
  private ScheduledFuture<?> timer;
  private boolean firstAnnounce = true;
  private boolean needsUnannounce;
  private int refreshes;
  private int limit = UNLIMITED;
  private List<io.hyperinfer.dht.Peer> closestNodes = List.of();

  /**
   * @param wait a previous discovery of the topic still leaving (null: none)
   * @param suspended the swarm is suspended: the first refresh waits for {@link #resume}
   */
  TopicDiscovery(Swarm swarm, byte[] topic, CompletableFuture<Void> wait, boolean suspended) {
    this.swarm = swarm;
    this.topic = topic.clone();
    this.wait = wait;
    this.suspended = suspended;
  }

  JoinSession session(boolean server, boolean client, int peerLimit) {
    JoinSession s = new JoinSession(this);
    sessions.add(s);
    s.set(server, client);
    limit = peerLimit;
    return s;
  }

  /** JS {@code session.refresh} sets the topic's limit, for every session, to the one it was given. */
  void limit(int peerLimit) {
    limit = peerLimit;
  }

  byte[] topic() {
    return topic.clone();
  }

  boolean destroyed() {
    return destroyed;
  }

  private boolean active() {
    return !destroyed && !suspended;
  }

  TopicStatus status() {
    return new TopicStatus(topic, isServer, isClient, sessions.size(), suspended, destroyed, currentRefresh != null,
        needsUnannounce, refreshes, limit == UNLIMITED ? -1 : limit, closestNodes.size());
  }

  /**
   * JS {@code refresh()}: completes true once the current announce or lookup is done, false if it failed or none
   * runs because the swarm is suspended.
   */
  CompletableFuture<Boolean> refresh() {
    if (destroyed) {
      return CompletableFuture.failedFuture(new SwarmException(SwarmException.Code.DESTROYED, "the topic was left"));
    }
    if (suspended) {
      return CompletableFuture.completedFuture(false);
    }
    boolean server = serverSessions > 0;
    boolean client = clientSessions > 0;
    if (server != isServer || client != isClient || currentRefresh == null) {
      if (server != isServer || client != isClient) {
        if (activeQuery != null) {
          activeQuery.destroy();
        }
        isServer = server;
        isClient = client;
      }
      CompletableFuture<Void> run = runRefresh();
      currentRefresh = run;
      run.whenComplete((v, e) -> swarm.loop().execute(() -> {
        if (currentRefresh == run) {
          currentRefresh = null;
        }
      }));
    }
    return currentRefresh.handle((v, e) -> e == null);
  }

  private CompletableFuture<Void> runRefresh() {
    int clock = ++refreshes;
    CompletableFuture<Void> before = wait != null ? wait.exceptionally(e -> null) : CompletableFuture.completedFuture(null);
    wait = null;
    boolean server = isServer;
    CompletableFuture<Void> listening = server ? before.thenCompose(v -> swarm.listen()) : before;
    return listening.thenComposeAsync(v -> {
      if (clock != refreshes || !active()) {
        return CompletableFuture.completedFuture(null);
      }
      return query(clock);
    }, swarm.loop()::execute);
  }

  private CompletableFuture<Void> query(int clock) {
    boolean announcing = isServer;
    boolean clear = announcing && firstAnnounce;
    if (clear) {
      firstAnnounce = false;
    }
    if (announcing) {
      needsUnannounce = true;
    }
    int peerLimit = limit;
    QueryOptions seeded = QueryOptions.DEFAULT.withNodes(addresses(closestNodes));
    Query<LookupResult> q = announcing
        ? swarm.queries().announce(topic, swarm.keyPair(), swarm.relayAddresses(),
            new AnnounceOptions(0, clear, seeded))
        : needsUnannounce ? swarm.queries().lookupAndUnannounce(topic, swarm.keyPair(), seeded)
            : swarm.queries().lookup(topic, seeded);
    activeQuery = q;
    CompletableFuture<Void> done = new CompletableFuture<>();
    q.finished().whenComplete((result, err) -> swarm.loop().execute(() -> {
      if (activeQuery == q) {
        activeQuery = null;
        if (active()) {
          refreshLater(false);
        }
      }
      if (err != null) {
        if (active()) {
          done.completeExceptionally(err);
        } else {
          done.complete(null);
        }
        return;
      }
      if (isClient && active()) {
        handOver(result.replies(), peerLimit, peer -> swarm.peerFound(peer, topic));
      }
      closestNodes = result.closestNodes(); // set only when a query completes, as JS does
      if (clock == refreshes && !announcing) {
        needsUnannounce = false;
      }
      done.complete(null);
    }));
    return done;
  }

  private void refreshLater(boolean eager) {
    long jitter = Math.round(swarm.random().nextDouble() * RANDOM_JITTER_MS);
    long delay = eager ? jitter : REFRESH_INTERVAL_MS + jitter;
    if (timer != null) {
      timer.cancel(false);
    }
    timer = swarm.loop().schedule(() -> {
      if (active()) {
        refresh();
      }
    }, delay);
  }

  /** JS {@code flushed()}: the server's listen if one started, then the refresh running now. */
  CompletableFuture<Boolean> flushed() {
    CompletableFuture<Void> started = swarm.listening();
    CompletableFuture<Void> listening = started != null ? started.exceptionally(e -> null)
        : CompletableFuture.completedFuture(null);
    CompletableFuture<Void> current = currentRefresh;
    return listening.thenCompose(v -> current == null ? CompletableFuture.completedFuture(true)
        : current.handle((r, e) -> e == null));
  }

  void sessionEnded(JoinSession s) {
    sessions.remove(s);
    if (destroyed) {
      return;
    }
    if (sessions.isEmpty()) {
      swarm.leave(topic);
    } else if (serverSessions == 0 && needsUnannounce) {
      refresh();
    }
  }

  /** Stops the topic: the running query and timer end, then our record is removed if we announced it. */
  CompletableFuture<Void> destroy() {
    if (destroying != null) {
      return destroying;
    }
    destroyed = true;
    destroying = abort();
    return destroying;
  }

  /** JS {@code suspend}: as {@link #destroy}, but the topic stays joined and {@link #resume} announces it again. */
  CompletableFuture<Void> suspend() {
    if (suspended || destroyed) {
      return suspending != null ? suspending : CompletableFuture.completedFuture(null);
    }
    suspended = true;
    suspending = abort();
    return suspending;
  }

  /** JS {@code resume}: refreshes at once (announcing again if a session is a server). */
  void resume() {
    if (!suspended) {
      return;
    }
    suspended = false;
    if (!destroyed) {
      refresh();
    }
  }

  /**
   * Ends the running query and timer, then, unless the topic became active again meanwhile, unannounces from the
   * closest nodes the last queries found (JS {@code _abort}: those known before the abort, plus any a query finishing
   * meanwhile added). With none known (the first announce was cut short: JS takes the nodes the cut query had
   * reached, which our queries do not report) it unannounces with a full walk instead, so no record of ours stays.
   */
  private CompletableFuture<Void> abort() {
    if (activeQuery != null) {
      activeQuery.destroy();
      activeQuery = null;
    }
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    List<io.hyperinfer.dht.Peer> before = closestNodes;
    CompletableFuture<Void> current = currentRefresh != null ? currentRefresh.exceptionally(e -> null)
        : CompletableFuture.completedFuture(null);
    return current.thenComposeAsync(v -> {
      if (active() || !needsUnannounce) {
        return CompletableFuture.completedFuture(null);
      }
      needsUnannounce = false;
      List<io.hyperinfer.dht.Peer> nodes = merge(before, closestNodes);
      QueryOptions where = nodes.isEmpty() ? QueryOptions.DEFAULT
          : QueryOptions.DEFAULT.withNodes(addresses(nodes)).withOnlyClosestNodes(true).withForce(true);
      return swarm.queries().lookupAndUnannounce(topic, swarm.keyPair(), where).finished().handle((r, e) -> null);
    }, swarm.loop()::execute);
  }

  /**
   * JS's per-refresh {@code limit}: hands the peers of {@code replies} over in order, at most {@code limit} of them
   * ({@link #UNLIMITED}: all). Every entry counts, the same peer listed by two nodes twice, and so does a peer we are
   * connected to already: hyperswarm 4.17.2 means to skip those, but its test compares a hex key with connection
   * objects and never matches, so this is what it does.
   */
  static void handOver(List<LookupResult> replies, int limit, Consumer<Peer> onPeer) {
    int left = limit;
    for (LookupResult reply : replies) {
      for (Peer peer : reply.peers()) {
        if (left != UNLIMITED) {
          if (left == 0) {
            return;
          }
          left--;
        }
        onPeer.accept(peer);
      }
    }
  }

  /** JS {@code _abort}'s merge: {@code older}, then each node of {@code newer} with an id not listed in it. */
  static List<io.hyperinfer.dht.Peer> merge(List<io.hyperinfer.dht.Peer> older,
      List<io.hyperinfer.dht.Peer> newer) {
    if (older.isEmpty() || older == newer) {
      return newer;
    }
    List<io.hyperinfer.dht.Peer> out = new ArrayList<>(older);
    for (io.hyperinfer.dht.Peer n : newer) {
      if (n.id() != null && older.stream().noneMatch(o -> o.id() != null && Arrays.equals(o.id(), n.id()))) {
        out.add(n);
      }
    }
    return out;
  }

  private static List<HostPort> addresses(List<io.hyperinfer.dht.Peer> nodes) {
    return nodes.stream().map(io.hyperinfer.dht.Peer::address).toList();
  }

  /** Runs {@code task} on the swarm loop and flattens the future it returns. */
  <T> CompletableFuture<T> swarmLoopCall(java.util.function.Supplier<CompletableFuture<T>> task) {
    return swarm.loop().call(task).thenCompose(f -> f);
  }
}
