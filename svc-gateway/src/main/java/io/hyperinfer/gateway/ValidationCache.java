package io.hyperinfer.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers successful credential checks (API key or session token -> who it is) for a short TTL so not every request
 * asks Auth. Only successes are cached, so a newly created key works at once; a revoked key or ended session keeps
 * working on a gateway for at most the TTL (default 5 s). Keys are BLAKE2b digests of the credential, never the
 * credential itself. Bounded: the oldest entries go first. Thread-safe.
 */
public final class ValidationCache<V> {
  private final Clock clock;
  private final Duration ttl;
  private final int maxEntries;
  private final Map<String, Cached<V>> entries;

  private record Cached<V>(V value, Instant expiresAt) {}

  public ValidationCache(Clock clock, Duration ttl, int maxEntries) {
    this.clock = clock;
    this.ttl = ttl;
    this.maxEntries = maxEntries;
    this.entries = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Cached<V>> eldest) {
        return size() > ValidationCache.this.maxEntries;
      }
    };
  }

  public Duration ttl() {
    return ttl;
  }

  public synchronized Optional<V> get(String digest) {
    Cached<V> e = entries.get(digest);
    if (e == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(e.expiresAt())) {
      entries.remove(digest);
      return Optional.empty();
    }
    return Optional.of(e.value());
  }

  public synchronized void put(String digest, V value) {
    if (ttl.isZero()) {
      return;
    }
    entries.remove(digest);
    entries.put(digest, new Cached<>(value, clock.instant().plus(ttl)));
  }

  public synchronized void invalidate(String digest) {
    entries.remove(digest);
  }

  public synchronized int size() {
    return entries.size();
  }
}
