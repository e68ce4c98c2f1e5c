package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.LoopTimer;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.dht.QueryRequest;
import io.hyperinfer.dht.QueryResult;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.dht.Response;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Announce;
import io.hyperinfer.hyperdht.wire.HolepunchInfo.RelayInfo;
import io.hyperinfer.hyperdht.wire.Peer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps a server's self announce on the nodes closest to its target ({@code lib/announcer.js}): FIND_PEER, then a
 * signed ANNOUNCE to the closest three, which become its relays; the relays of three generations are remembered and
 * those dropped from one update to the next get an UNANNOUNCE. In the background every relay is pinged every 3 s, and
 * after 100 rounds (about 5 min) the announce is refreshed; it is refreshed at once when fewer than three (or fewer
 * than all) relays answer, and, unlike JS, when a relay's pong shows that our address as it sees it moved (so the
 * relay would forward handshakes to a dead address: hyperdht-cpp's "Finding A"). An update that leaves no relay
 * (offline, or nobody answered) is retried after 1, 2, 4... up to 60 s instead of JS's five minutes.
 *
 * <p>Confined to the node loop; {@link #relays()} and {@link #relayAddresses()} may be read anywhere. Timers run on the
 * node's clock, so the whole cycle runs on virtual time on a simulated network.
 */
final class Announcer {
  static final int MIN_ACTIVE = 3;
  static final int PING_ROUNDS = 100;
  static final long PING_INTERVAL_MS = 3_000;
  static final long MAX_BACKOFF_MS = 60_000;
  private static final int GENERATIONS = 3;

  private final DhtNode node;
  private final KeyPair keyPair;
  private final byte[] target;
  private final List<Map<HostPort, RelayInfo>> generations = new ArrayList<>();
  private volatile List<RelayInfo> relays = List.of();
  private volatile List<HostPort> relayAddresses = List.of();
  private volatile long updates;
  private volatile long driftRefreshes;
  private List<HostPort> closestNodes = List.of();
  private CompletableFuture<Void> updating;
  private LoopTimer timer;
  private boolean stopped;
  private boolean refreshing;
  private int rounds;
  private int failures;

  Announcer(DhtNode node, KeyPair keyPair, byte[] target) {
    this.node = node;
    this.keyPair = keyPair;
    this.target = target.clone();
    for (int i = 0; i < GENERATIONS; i++) {
      generations.add(new LinkedHashMap<>());
    }
  }

  /** The record a server's node answers FIND_PEER with (its key, no relay addresses, as JS's announcer record). */
  Peer record() {
    return new Peer(keyPair.publicKey(), List.of());
  }

  /** Runs the first update, then keeps announcing in the background; completes when the first update is done. */
  CompletableFuture<Void> start() {
    CompletableFuture<Void> first = new CompletableFuture<>();
    node.execute(() -> runUpdate(first));
    return first;
  }

  /** Stops the background work and unannounces from the current relays; completes when they answered or failed. */
  CompletableFuture<Void> stop() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    node.execute(() -> {
      stopped = true;
      if (timer != null) {
        timer.cancel();
      }
      CompletableFuture<Void> current = updating == null ? CompletableFuture.completedFuture(null) : updating;
      current.handle((v, e) -> null).thenCompose(v -> unannounceAll(generations.get(2).keySet()))
          .whenComplete((v, e) -> done.complete(null));
    });
    return done;
  }

  /** Asks for an update after the current ping round (JS {@code refresh()}). */
  void refresh() {
    node.execute(() -> refreshing = true);
  }

  /** The relays of the last update: each node and our address as it saw it. */
  List<RelayInfo> relays() {
    return relays;
  }

  /** Where clients can reach us through: our own address if reachable, then up to 3 relays. */
  List<HostPort> relayAddresses() {
    return relayAddresses;
  }

  /** Whether {@code address} was one of our relays in the last three updates. Loop only. */
  boolean isRelay(HostPort address) {
    return generations.stream().anyMatch(g -> g.containsKey(address));
  }

  long updates() {
    return updates;
  }

  long driftRefreshes() {
    return driftRefreshes;
  }

  private void runUpdate(CompletableFuture<Void> first) {
    if (stopped) {
      if (first != null) {
        first.complete(null);
      }
      return;
    }
    timer = null;
    CompletableFuture<Void> u = update();
    updating = u;
    u.whenComplete((v, e) -> node.execute(() -> {
      updating = null;
      updates++;
      if (first != null) {
        first.complete(null);
      }
      if (stopped) {
        return;
      }
      refreshing = false;
      rounds = 0;
      if (relays.isEmpty()) {
        failures++;
        long backoff = Math.min(MAX_BACKOFF_MS, 1_000L << Math.min(16, failures - 1));
        timer = node.schedule(backoff, () -> runUpdate(null));
      } else {
        failures = 0;
        pingRound();
      }
    }));
  }

  /** Pings every current relay; refreshes when too few answer or one sees us elsewhere, else waits 3 s. */
  private void pingRound() {
    timer = null;
    if (stopped) {
      return;
    }
    if (refreshing || rounds >= PING_ROUNDS) {
      runUpdate(null);
      return;
    }
    rounds++;
    List<RelayInfo> current = List.copyOf(generations.get(2).values());
    int[] answered = {0};
    AtomicBoolean moved = new AtomicBoolean();
    List<CompletableFuture<?>> pings = new ArrayList<>();
    for (RelayInfo relay : current) {
      pings.add(node.ping(relay.relayAddress()).thenAccept(pong -> {
        answered[0]++;
        if (!pong.to().equals(relay.peerAddress())) {
          moved.set(true);
        }
      }).handle((v, e) -> null));
    }
    CompletableFuture.allOf(pings.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> node.execute(() -> {
      if (stopped) {
        return;
      }
      if (answered[0] < Math.min(current.size(), MIN_ACTIVE)) {
        refreshing = true;
      }
      if (moved.get()) {
        driftRefreshes++;
        refreshing = true;
      }
      if (refreshing) {
        runUpdate(null);
      } else {
        timer = node.schedule(PING_INTERVAL_MS, this::pingRound);
      }
    }));
  }

  private CompletableFuture<Void> update() {
    cycle();
    QueryOptions options = QueryOptions.DEFAULT.withNodes(closestNodes);
    return node.query(new QueryRequest(target, Command.FIND_PEER.id(), null), options).finished()
        .handle((result, error) -> result)
        .thenCompose(result -> {
          if (stopped) {
            return CompletableFuture.completedFuture(null);
          }
          List<Response> replies = result == null ? List.of()
              : result.closestReplies().subList(0, Math.min(3, result.closestReplies().size()));
          List<RelayInfo> found = new ArrayList<>();
          List<HostPort> addresses = new ArrayList<>();
          HostPort own = node.firewalled() ? null : node.remoteAddress();
          if (own != null) {
            addresses.add(own);
          }
          List<CompletableFuture<?>> commits = new ArrayList<>();
          for (Response reply : replies) {
            commits.add(commit(reply, found, addresses).handle((v, e) -> null));
          }
          return CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new))
              .thenCompose(v -> afterCommits(result, found, addresses));
        });
  }

  private CompletableFuture<Void> afterCommits(QueryResult<Response> result, List<RelayInfo> found,
      List<HostPort> addresses) {
    if (stopped) {
      return CompletableFuture.completedFuture(null);
    }
    if (result != null) {
      closestNodes = result.closestNodes().stream().map(io.hyperinfer.dht.Peer::address).toList();
    }
    relays = List.copyOf(found);
    relayAddresses = List.copyOf(addresses.subList(0, Math.min(3, addresses.size())));
    List<HostPort> removed = generations.get(1).keySet().stream()
        .filter(a -> !generations.get(2).containsKey(a)).toList();
    return unannounceAll(removed);
  }

  private CompletableFuture<Void> commit(Response reply, List<RelayInfo> found, List<HostPort> addresses) {
    if (reply.token() == null || reply.from().id() == null) {
      return CompletableFuture.completedFuture(null);
    }
    Announce unsigned = new Announce(record(), null, null, 0);
    byte[] signature = Signatures.signAnnounce(target, reply.token(), reply.from().id(), unsigned, keyPair);
    HostPort relay = reply.from().address();
    return node.request(relay, Command.ANNOUNCE.id(), target,
        Compact.encode(Announce.CODEC, new Announce(record(), null, signature, 0)), reply.token(),
        RequestOptions.DEFAULT).thenAccept(res -> {
          if (res.error() != Response.OK) {
            return;
          }
          if (addresses.size() < 3) {
            addresses.add(relay);
          }
          RelayInfo info = new RelayInfo(relay, reply.to());
          found.add(info);
          generations.get(2).put(relay, info);
        });
  }

  private CompletableFuture<Void> unannounceAll(Iterable<HostPort> from) {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (HostPort relay : from) {
      all.add(unannounce(relay).handle((v, e) -> null));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /** FIND_PEER for a token, then a signed UNANNOUNCE ({@code _unannounce}). */
  private CompletableFuture<Void> unannounce(HostPort relay) {
    return node.request(relay, Command.FIND_PEER.id(), target, null, null, RequestOptions.DEFAULT)
        .thenCompose(res -> {
          if (res.token() == null || res.from().id() == null || res.value() == null) {
            return CompletableFuture.completedFuture(null);
          }
          Announce unsigned = new Announce(record(), null, null, 0);
          byte[] signature = Signatures.signUnannounce(target, res.token(), res.from().id(), unsigned, keyPair);
          return node.request(relay, Command.UNANNOUNCE.id(), target,
              Compact.encode(Announce.CODEC, new Announce(record(), null, signature, 0)), res.token(),
              RequestOptions.DEFAULT).thenApply(r -> (Void) null);
        });
  }

  private void cycle() {
    Map<HostPort, RelayInfo> oldest = generations.remove(0);
    oldest.clear();
    generations.add(oldest);
  }
}
