package io.hyperinfer.gateway.limit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Limits applied to one API key (the first three) and to its user (the daily quota). Zero or less means unlimited.
 *
 * @param requestsPerMinute sustained request rate; bursts up to the same number
 * @param tokensPerMinute prompt plus completion tokens per minute
 * @param concurrent requests in flight at once (a slot is held until the stream ends)
 * @param dailyTokens tokens per user per UTC day
 */
public record Limits(int requestsPerMinute, int tokensPerMinute, int concurrent, long dailyTokens) {
  /** Defaults when neither config nor the key says otherwise. */
  public static final Limits DEFAULT = new Limits(60, 100_000, 4, 1_000_000);

  /** {@code node}'s fields over {@code base}'s; absent fields keep the base value. */
  public static Limits from(JsonNode node, Limits base) {
    if (node == null || !node.isObject()) {
      return base;
    }
    return new Limits(node.path("requestsPerMinute").asInt(base.requestsPerMinute),
        node.path("tokensPerMinute").asInt(base.tokensPerMinute),
        node.path("concurrent").asInt(base.concurrent),
        node.path("dailyTokens").asLong(base.dailyTokens));
  }
}
