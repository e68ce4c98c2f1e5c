package io.hyperinfer.worker.net.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.RequestOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Topic requests over any {@link Discovery}: a lookup cache (at most {@link #MAX_TOPICS} topics, least recently used
 * dropped first), a pick among announcers, and retries on another announcer from a fresh lookup when the chosen one is
 * stale or gone (ERR_PEER_UNAVAILABLE, ERR_CONNECTION_LOST). Thread-safe.
 */
final class TopicClient {
  /** Topics whose lookups are cached; topic names may come from callers (model ids), so the cache is bounded. */
  static final int MAX_TOPICS = 1024;

  /** Sends one request to one peer. */
  interface Sender {
    CompletableFuture<JsonNode> send(PeerRef peer, String method, JsonNode payload, RequestOptions options);
  }

  private final Discovery discovery;
  private final Function<String, byte[]> keyOf;
  /** Topic prefix to the announcers trusted under it; lookups drop the others (cached results too). */
  private final Map<String, Predicate<PeerRef>> trusted = new ConcurrentHashMap<>();
  private final Sender sender;
  private final SplittableRandom random;
  private final Map<String, List<PeerRef>> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, List<PeerRef>> eldest) {
      return size() > MAX_TOPICS;
    }
  };

  TopicClient(Discovery discovery, Sender sender, long seed) {
    this(discovery, sender, seed, Topics::key);
  }

  TopicClient(Discovery discovery, Sender sender, long seed, Function<String, byte[]> keyOf) {
    this.discovery = discovery;
    this.keyOf = keyOf;
    this.sender = sender;
    this.random = new SplittableRandom(seed);
  }

  /** From now on, announcers of topics starting with {@code prefix} count only when {@code announcers} admits them. */
  void trust(String prefix, Predicate<PeerRef> announcers) {
    trusted.put(Topics.check(prefix), announcers);
  }

  /** The announcers of {@code topic} the trust rule of its longest matching prefix admits (all without a rule). */
  CompletableFuture<List<PeerRef>> lookup(String topic, boolean cached) {
    Predicate<PeerRef> rule = trusted.entrySet().stream()
        .filter(e -> topic.startsWith(e.getKey()))
        .max(Comparator.comparingInt(e -> e.getKey().length()))
        .<Predicate<PeerRef>>map(Map.Entry::getValue).orElse(null);
    CompletableFuture<List<PeerRef>> found = announcers(topic, cached);
    return rule == null ? found : found.thenApply(peers -> peers.stream().filter(rule).toList());
  }

  private CompletableFuture<List<PeerRef>> announcers(String topic, boolean cached) {
    byte[] key = keyOf.apply(topic);
    if (cached) {
      List<PeerRef> hit;
      synchronized (cache) {
        hit = cache.get(topic);
      }
      if (hit != null && !hit.isEmpty()) {
        return CompletableFuture.completedFuture(hit);
      }
    }
    return discovery.lookup(key).thenApply(found -> {
      List<PeerRef> fresh = List.copyOf(found);
      synchronized (cache) {
        cache.put(topic, fresh);
      }
      return fresh;
    });
  }

  void forget(PeerRef peer) {
    synchronized (cache) {
      cache.replaceAll((t, peers) -> peers.contains(peer) ? peers.stream().filter(p -> !p.equals(peer)).toList()
          : peers);
    }
  }

  CompletableFuture<JsonNode> request(String topic, String method, JsonNode payload, RequestOptions options,
      int attempts) {
    return attempt(topic, method, payload, options, Math.max(1, attempts), new HashSet<>(), true, null);
  }

  private CompletableFuture<JsonNode> attempt(String topic, String method, JsonNode payload, RequestOptions options,
      int left, Set<PeerRef> tried, boolean cached, NetException last) {
    return candidates(topic, tried, cached).thenCompose(candidates -> {
      if (candidates.isEmpty()) {
        return CompletableFuture.failedFuture(last != null ? last : NetException.noPeers(topic));
      }
      PeerRef peer = pick(candidates);
      tried.add(peer);
      return sender.send(peer, method, payload, options).exceptionallyCompose(err -> {
        NetException net = NetException.of(err);
        if (!isStale(net) || left <= 1) {
          return CompletableFuture.failedFuture(net);
        }
        forget(peer);
        return attempt(topic, method, payload, options, left - 1, tried, false, net);
      });
    });
  }

  /** Announcers not tried yet: from the cache when allowed, from a fresh lookup when the cache has none left. */
  private CompletableFuture<List<PeerRef>> candidates(String topic, Set<PeerRef> tried, boolean cached) {
    return lookup(topic, cached).thenCompose(found -> {
      List<PeerRef> left = new ArrayList<>(found);
      left.removeAll(tried);
      if (!left.isEmpty() || !cached) {
        return CompletableFuture.completedFuture(left);
      }
      return candidates(topic, tried, false);
    });
  }

  private PeerRef pick(List<PeerRef> candidates) {
    synchronized (random) {
      return candidates.get(random.nextInt(candidates.size()));
    }
  }

  static boolean isStale(NetException e) {
    return NetException.ERR_PEER_UNAVAILABLE.equals(e.code()) || NetException.ERR_CONNECTION_LOST.equals(e.code());
  }
}
