package io.hyperinfer.dht;

/**
 * A group of requests and queries that can be cancelled together (JS {@code dht.session()}); pass it in
 * {@link RequestOptions#session()} or {@link QueryOptions#session()}. Thread-safe.
 */
public interface Session {
  /** Fails every request of the session still in flight with {@code REQUEST_DESTROYED}. */
  void destroy();
}
