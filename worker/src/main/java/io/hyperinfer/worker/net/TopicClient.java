package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Topic requests over any transport: a lookup cache, a pick among announcers, and retries on another announcer from a
 * fresh lookup when the chosen one is stale or gone (ERR_PEER_UNAVAILABLE, ERR_CONNECTION_LOST). Thread-safe.
 */
final class TopicClient {
  /** Sends one request to one peer. */
  interface Sender {
    CompletableFuture<JsonNode> send(PeerRef peer, String method, JsonNode payload, RequestOptions options);
  }

  private final Function<String, List<PeerRef>> dhtLookup;
  private final Sender sender;
  private final SplittableRandom random;
  private final Map<String, List<PeerRef>> cache = new ConcurrentHashMap<>();

  TopicClient(Function<String, List<PeerRef>> dhtLookup, Sender sender, long seed) {
    this.dhtLookup = dhtLookup;
    this.sender = sender;
    this.random = new SplittableRandom(seed);
  }

  List<PeerRef> lookup(String topic, boolean cached) {
    if (cached) {
      List<PeerRef> hit = cache.get(topic);
      if (hit != null && !hit.isEmpty()) {
        return hit;
      }
    }
    List<PeerRef> fresh = List.copyOf(dhtLookup.apply(topic));
    cache.put(topic, fresh);
    return fresh;
  }

  void forget(PeerRef peer) {
    cache.replaceAll((t, peers) -> peers.stream().filter(p -> !p.equals(peer)).toList());
  }

  CompletableFuture<JsonNode> request(String topic, String method, JsonNode payload, RequestOptions options,
      int attempts) {
    return attempt(topic, method, payload, options, Math.max(1, attempts), new HashSet<>(), true, null);
  }

  private CompletableFuture<JsonNode> attempt(String topic, String method, JsonNode payload, RequestOptions options,
      int left, Set<PeerRef> tried, boolean cached, NetException last) {
    List<PeerRef> candidates = new ArrayList<>(lookup(topic, cached));
    candidates.removeAll(tried);
    if (candidates.isEmpty() && cached) {
      candidates = new ArrayList<>(lookup(topic, false));
      candidates.removeAll(tried);
    }
    if (candidates.isEmpty()) {
      return CompletableFuture.failedFuture(last != null ? last : NetException.noPeers(topic));
    }
    PeerRef peer = pick(candidates);
    tried.add(peer);
    return sender.send(peer, method, payload, options).exceptionallyCompose(err -> {
      NetException rpc = RpcDispatcher.unwrap(err);
      if (!isStale(rpc) || left <= 1) {
        return CompletableFuture.failedFuture(rpc);
      }
      forget(peer);
      return attempt(topic, method, payload, options, left - 1, tried, false, rpc);
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
