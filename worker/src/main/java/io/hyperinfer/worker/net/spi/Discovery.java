package io.hyperinfer.worker.net.spi;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.net.PeerRef;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The discovery seam of a {@link TransportNetFacility}: who announces a topic key ({@link Topics#key}). The machinery
 * refreshes announcements, caches lookups and retries; a discovery only records and finds. Thread-safe.
 */
public interface Discovery {
  /** Starts as {@code identity} (the key announcements are made for). */
  void open(KeyPair identity);

  CompletableFuture<Void> announce(byte[] topicKey);

  CompletableFuture<Void> unannounce(byte[] topicKey);

  /** Peers announcing {@code topicKey} now, in a stable order. */
  CompletableFuture<List<PeerRef>> lookup(byte[] topicKey);

  /** Stops; announcements already made expire on their own. Idempotent. */
  void close();
}
