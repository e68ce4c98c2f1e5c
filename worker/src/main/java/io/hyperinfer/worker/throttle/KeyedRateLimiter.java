package io.hyperinfer.worker.throttle;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per key (a caller's public key, an account), for throttling requests by who sends them: each key may
 * burst {@link Rate#burst()} requests, then one more per {@link Rate#every()}. A refused request takes nothing and is
 * told how long to wait.
 *
 * <p>Bounded: at most {@code maxKeys} buckets. Past that the bucket touched longest ago is dropped; it is the one
 * that has refilled the most, and a dropped key starts again with a full bucket, which is what it would have had after
 * {@code burst * every} of quiet anyway. Time comes from the injected clock. Thread-safe: one lock, held for a map
 * lookup and a little arithmetic.
 *
 * @param <K> the key type; equal keys share a bucket
 */
public final class KeyedRateLimiter<K> {
  /**
   * A bucket's shape.
   *
   * @param burst requests admitted at once from a full bucket
   * @param every one request's worth of refill
   */
  public record Rate(int burst, Duration every) {
    public Rate {
      if (burst < 1 || every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("a rate needs burst >= 1 and a positive refill interval");
      }
    }
  }

  /** The outcome of one {@link #tryAcquire}: admitted, or refused with the wait until a token is back. */
  public record Decision(boolean allowed, Duration retryAfter) {
    static final Decision ALLOW = new Decision(true, Duration.ZERO);
  }

  private final Rate rate;
  private final int maxKeys;
  private final Clock clock;
  private final Map<K, Bucket> buckets;
  private long evictions;

  public KeyedRateLimiter(Rate rate, int maxKeys, Clock clock) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1");
    }
    this.rate = rate;
    this.maxKeys = maxKeys;
    this.clock = clock;
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Bucket> eldest) {
        if (size() > KeyedRateLimiter.this.maxKeys) {
          evictions++;
          return true;
        }
        return false;
      }
    };
  }

  /** Takes one request's token from {@code key}'s bucket, or refuses (taking nothing) with the wait. */
  public synchronized Decision tryAcquire(K key) {
    long now = clock.millis();
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      bucket = new Bucket(now);
      buckets.put(key, bucket);
    }
    return bucket.take(now);
  }

  /** Whether {@code key} could make a request now, without taking anything. */
  public synchronized boolean wouldAllow(K key) {
    Bucket bucket = buckets.get(key);
    return bucket == null || bucket.millisUntilToken(clock.millis()) == 0;
  }

  /** Keys tracked now (at most {@code maxKeys}). */
  public synchronized int size() {
    return buckets.size();
  }

  /** Buckets dropped to stay within {@code maxKeys}. */
  public synchronized long evictions() {
    return evictions;
  }

  public Rate rate() {
    return rate;
  }

  /**
   * Credit in milliseconds of refill: a request costs {@code every}, quiet time earns its own length, up to
   * {@code burst * every}. Exact in integers, so many small steps refill as much as one large one. Guarded by the
   * limiter.
   */
  private final class Bucket {
    private final long costMillis = Math.max(1, rate.every().toMillis());
    private final long capacity = rate.burst() * costMillis;
    private long credit = capacity;
    private long lastMillis;

    Bucket(long now) {
      this.lastMillis = now;
    }

    Decision take(long now) {
      long wait = millisUntilToken(now);
      if (wait > 0) {
        return new Decision(false, Duration.ofMillis(wait));
      }
      credit -= costMillis;
      return Decision.ALLOW;
    }

    long millisUntilToken(long now) {
      if (now > lastMillis) {
        credit = Math.min(capacity, credit + (now - lastMillis));
        lastMillis = now;
      }
      return Math.max(0, costMillis - credit);
    }
  }
}
