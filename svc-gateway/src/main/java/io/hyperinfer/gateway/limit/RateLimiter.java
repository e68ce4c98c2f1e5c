package io.hyperinfer.gateway.limit;

import io.hyperinfer.gateway.GatewayException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Admission control of one gateway: per API key requests/min, tokens/min and concurrent requests; per user tokens per
 * UTC day. A request is charged at admission (so failed requests count) with an estimate of its tokens; {@link
 * Permit#complete} settles the real count and frees the concurrency slot, which is held until the stream ends.
 *
 * <p>Several gateways each keep their own counters, so a key spread over N gateways can get up to N times its rate
 * (measured in GatewayLimitsIT). The daily quota is read from the shared usage store by the caller. Thread-safe.
 */
public final class RateLimiter {
  private final Clock clock;
  private final Map<String, KeyState> keys = new HashMap<>();
  private final Map<String, DayCount> users = new HashMap<>();

  public RateLimiter(Clock clock) {
    this.clock = clock;
  }

  /** What a held admission gives back when the request ends. */
  public interface Permit extends AutoCloseable {
    /** Settles {@code tokensUsed} (prompt + completion) and frees the slot; later calls do nothing. */
    void complete(long tokensUsed);

    /** Frees the slot with the estimate kept as the charge. */
    @Override
    void close();
  }

  /**
   * Admits one request of key {@code keyId} for user {@code userId} with {@code estimatedTokens}, or throws {@code
   * ERR_RATE_LIMITED} (with retryAfterMs) / {@code ERR_QUOTA_EXCEEDED}; a rejected request changes no counter.
   *
   * @param usedToday tokens the user already used today according to durable usage (may be 0 when unknown)
   */
  public synchronized Permit admit(String keyId, String userId, Limits limits, long estimatedTokens, long usedToday) {
    long now = nanos();
    KeyState key = keys.computeIfAbsent(keyId, k -> new KeyState(limits, now));
    DayCount day = users.computeIfAbsent(userId, u -> new DayCount());
    day.roll(today());
    if (limits.dailyTokens() > 0 && Math.max(day.tokens, usedToday) + estimatedTokens > limits.dailyTokens()) {
      throw new GatewayException(GatewayException.Code.QUOTA_EXCEEDED, "daily token quota of "
          + limits.dailyTokens() + " is used up; it resets at 00:00 UTC",
          Map.of("limit", "dailyTokens", "retryAfterMs", millisToMidnight()));
    }
    if (limits.concurrency() > 0 && key.inFlight >= limits.concurrency()) {
      throw GatewayException.rateLimited("concurrency", 1000);
    }
    long waitRequests = key.requests == null ? 0 : key.requests.waitMillis(1, now);
    if (waitRequests > 0) {
      throw GatewayException.rateLimited("requestsPerMinute", waitRequests);
    }
    long waitTokens = key.tokens == null ? 0 : key.tokens.waitMillis(estimatedTokens, now);
    if (waitTokens > 0) {
      throw GatewayException.rateLimited("tokensPerMinute", waitTokens);
    }
    if (key.requests != null) {
      key.requests.take(1, now);
    }
    if (key.tokens != null) {
      key.tokens.take(estimatedTokens, now);
    }
    key.inFlight++;
    day.tokens += estimatedTokens;
    return new HeldPermit(key, day, estimatedTokens);
  }

  /** Requests of {@code keyId} in flight now. */
  public synchronized int inFlight(String keyId) {
    KeyState k = keys.get(keyId);
    return k == null ? 0 : k.inFlight;
  }

  private synchronized void settle(KeyState key, DayCount day, long estimate, long used) {
    key.inFlight--;
    long delta = used - estimate;
    if (key.tokens != null) {
      if (delta > 0) {
        key.tokens.take(delta, nanos());
      } else {
        key.tokens.giveBack(-delta);
      }
    }
    day.tokens = Math.max(0, day.tokens + delta);
  }

  private long nanos() {
    Duration sinceEpoch = Duration.between(java.time.Instant.EPOCH, clock.instant());
    return sinceEpoch.toNanos();
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private long millisToMidnight() {
    var midnight = today().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    return Duration.between(clock.instant(), midnight).toMillis();
  }

  /** Counters of one key; guarded by the limiter. */
  private static final class KeyState {
    final TokenBucket requests;
    final TokenBucket tokens;
    int inFlight;

    KeyState(Limits limits, long now) {
      requests = limits.requestsPerMinute() > 0 ? new TokenBucket(limits.requestsPerMinute(), now) : null;
      tokens = limits.tokensPerMinute() > 0 ? new TokenBucket(limits.tokensPerMinute(), now) : null;
    }
  }

  /** Tokens of one user on one day; guarded by the limiter. */
  private static final class DayCount {
    LocalDate day;
    long tokens;

    void roll(LocalDate today) {
      if (!today.equals(day)) {
        day = today;
        tokens = 0;
      }
    }
  }

  private final class HeldPermit implements Permit {
    private final KeyState key;
    private final DayCount day;
    private final long estimate;
    private boolean done;

    HeldPermit(KeyState key, DayCount day, long estimate) {
      this.key = key;
      this.day = day;
      this.estimate = estimate;
    }

    @Override
    public void complete(long tokensUsed) {
      synchronized (RateLimiter.this) {
        if (done) {
          return;
        }
        done = true;
        settle(key, day, estimate, tokensUsed);
      }
    }

    @Override
    public void close() {
      complete(estimate);
    }
  }
}
