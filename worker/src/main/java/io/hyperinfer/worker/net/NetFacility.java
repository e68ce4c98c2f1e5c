package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.RosterSource;
import io.hyperinfer.worker.Facility;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A worker's network: an RPC server, requests by public key and by topic, streams, discovery, a firewall. Payloads are
 * JSON; errors arrive as {@link NetException}. Every request and stream has a deadline (its options', else the
 * facility's default). The remote key a handler sees, and the firewall judges, is the one the transport proved.
 * Workers depend on this API only; implementations are built on {@code io.hyperinfer.worker.net.spi} (the in-memory
 * {@code MemoryNetFacility} for tests, the Hyperswarm one for real networks). Thread-safe.
 */
public interface NetFacility extends Facility {
  /** This worker's 32-byte public key; valid after start. */
  byte[] publicKey();

  /** Registers (or replaces) the handler of {@code method}. */
  void respond(String method, RequestHandler handler);

  void respondAsync(String method, AsyncRequestHandler handler);

  void respondStream(String method, StreamHandler handler);

  CompletableFuture<JsonNode> request(byte[] publicKey, String method, JsonNode payload, RequestOptions options);

  default CompletableFuture<JsonNode> request(byte[] publicKey, String method, JsonNode payload) {
    return request(publicKey, method, payload, RequestOptions.DEFAULT);
  }

  /**
   * Sends to one announcer of {@code topic} (cached lookup first); when the peer is stale or gone, retries on another
   * announcer from a fresh lookup. Fails with ERR_NO_PEERS when nobody announces the topic.
   */
  CompletableFuture<JsonNode> topicRequest(String topic, String method, JsonNode payload, RequestOptions options);

  default CompletableFuture<JsonNode> topicRequest(String topic, String method, JsonNode payload) {
    return topicRequest(topic, method, payload, RequestOptions.DEFAULT);
  }

  /** Sends to every announcer (fresh lookup); never fails as a whole, each reply says ok or error. */
  CompletableFuture<List<PeerReply>> topicRequestAll(String topic, String method, JsonNode payload,
      RequestOptions options);

  default CompletableFuture<List<PeerReply>> topicRequestAll(String topic, String method, JsonNode payload) {
    return topicRequestAll(topic, method, payload, RequestOptions.DEFAULT);
  }

  StreamCall requestStream(byte[] publicKey, String method, JsonNode payload, StreamListener listener,
      RequestOptions options);

  default StreamCall requestStream(byte[] publicKey, String method, JsonNode payload, StreamListener listener) {
    return requestStream(publicKey, method, payload, listener, RequestOptions.DEFAULT);
  }

  /** Fire and forget: no reply, no error, even when the peer is gone. */
  void event(byte[] publicKey, String method, JsonNode payload);

  /** Announces {@code topic} now and re-announces it periodically until unannounced or stopped. */
  CompletableFuture<Void> announce(String topic);

  CompletableFuture<Void> unannounce(String topic);

  /** Announcers of {@code topic}; {@code cached} may answer from the local cache, false always asks the DHT. */
  CompletableFuture<List<PeerRef>> lookup(String topic, boolean cached);

  /**
   * Accept requests only from these public keys (hex), as the transport proved them; others get ERR_FORBIDDEN and
   * their events are dropped. Replies and stream frames to this worker's own calls are not affected.
   */
  void allowOnly(Set<String> publicKeysHex);

  /**
   * Accept requests only from peers {@code admits} accepts, asked on every request (so it can follow a changing
   * roster); others get ERR_FORBIDDEN and their events are dropped.
   */
  void allowOnly(Predicate<PeerRef> admits);

  /**
   * Trusts as announcers of topics starting with {@code topicPrefix} only the peers {@code announcers} accepts: lookups,
   * topic requests and cached results leave the others out, so a stranger announcing the topic never gets a request.
   * Asked on every lookup; the longest matching prefix wins.
   */
  void trustAnnouncers(String topicPrefix, Predicate<PeerRef> announcers);

  void allowAll();

  void addConnectionListener(ConnectionListener listener);

  /**
   * Where this facility finds the signed rosters of {@code network} with the node it already runs (the real net: a
   * HyperDHT mutable record read through its own DHT node; the in-memory net: its roster board), so membership never
   * needs a second node. Asked once, after this facility started; empty when it has no such place (the worker then
   * re-reads its roster cache file).
   */
  default Optional<RosterSource> rosters(NetworkKey network) {
    return Optional.empty();
  }
}
