package io.hyperinfer.dht;

import java.util.concurrent.CompletableFuture;

/**
 * A running iterative query (JS's {@code Query} stream). Thread-safe.
 *
 * @param <T> what each accepted reply maps to
 */
public interface Query<T> {
  /**
   * Completes with every mapped reply and the closest replies once the walk (and its commit, if any) is done; fails
   * with {@link DhtException} ({@code TOO_FEW_NODES} when a committing query found no node to commit to, the last
   * commit's error when every commit failed, {@code REQUEST_DESTROYED} after {@link #destroy}).
   */
  CompletableFuture<QueryResult<T>> finished();

  /** Stops the query and cancels its requests (unless it runs in a caller's session). */
  void destroy();
}
