package io.hyperinfer.gateway.limit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Limits applied to one API key (the first three) and to its user (the daily quota). Zero or less means unlimited.
 *
 * @param requestsPerMinute sustained request rate; bursts up to the same number
 * @param tokensPerMinute prompt plus completion tokens per minute
 * @param concurrency requests in flight at once (a slot is held until the stream ends)
 * @param dailyTokens tokens per user per UTC day
 */
public record Limits(int requestsPerMinute, int tokensPerMinute, int concurrency, long dailyTokens) {
  /** Defaults when neither config nor the key says otherwise. */
  public static final Limits DEFAULT = new Limits(60, 100_000, 4, 1_000_000);

  /** {@code node}'s positive fields over {@code base}'s (Auth's key limits use 0 for "not set"). */
  public static Limits from(JsonNode node, Limits base) {
    if (node == null || !node.isObject()) {
      return base;
    }
    return new Limits(pick(node, "requestsPerMinute", base.requestsPerMinute),
        pick(node, "tokensPerMinute", base.tokensPerMinute), pick(node, "concurrency", base.concurrency),
        node.path("dailyTokens").asLong(0) > 0 ? node.path("dailyTokens").asLong() : base.dailyTokens);
  }

  /** Config form: every present field is taken as is, so 0 means unlimited. */
  public static Limits fromConfig(JsonNode node, Limits base) {
    if (node == null || !node.isObject()) {
      return base;
    }
    return new Limits(node.path("requestsPerMinute").asInt(base.requestsPerMinute),
        node.path("tokensPerMinute").asInt(base.tokensPerMinute), node.path("concurrency").asInt(base.concurrency),
        node.path("dailyTokens").asLong(base.dailyTokens));
  }

  private static int pick(JsonNode node, String field, int fallback) {
    int v = node.path(field).asInt(0);
    return v > 0 ? v : fallback;
  }
}
