package io.hyperinfer.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Usage limits attached to an API key, enforced by gateways. A value of 0 means "no limit". Immutable.
 *
 * @param requestsPerMinute requests per rolling minute
 * @param tokensPerMinute prompt plus completion tokens per rolling minute, as gateways meter and enforce them
 * @param concurrency requests in flight at once
 * @param dailyTokens prompt plus completion tokens per UTC day
 */
public record KeyLimits(long requestsPerMinute, long tokensPerMinute, long concurrency, long dailyTokens) {
  public static final KeyLimits UNLIMITED = new KeyLimits(0, 0, 0, 0);

  public KeyLimits {
    if (requestsPerMinute < 0 || tokensPerMinute < 0 || concurrency < 0 || dailyTokens < 0) {
      throw AuthException.badRequest("limits must not be negative");
    }
    // Gateways hold the per-minute and concurrency limits as ints.
    if (requestsPerMinute > Integer.MAX_VALUE || tokensPerMinute > Integer.MAX_VALUE
        || concurrency > Integer.MAX_VALUE) {
      throw AuthException.badRequest("per-minute and concurrency limits must be at most " + Integer.MAX_VALUE);
    }
  }

  /** Limits from a JSON object; absent fields are unlimited; anything else malformed is BAD_REQUEST. */
  static KeyLimits fromJson(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return UNLIMITED;
    }
    if (!node.isObject()) {
      throw AuthException.badRequest("limits must be an object");
    }
    return new KeyLimits(field(node, "requestsPerMinute"), field(node, "tokensPerMinute"),
        field(node, "concurrency"), field(node, "dailyTokens"));
  }

  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("requestsPerMinute", requestsPerMinute);
    node.put("tokensPerMinute", tokensPerMinute);
    node.put("concurrency", concurrency);
    node.put("dailyTokens", dailyTokens);
    return node;
  }

  private static long field(JsonNode node, String name) {
    JsonNode value = node.path(name);
    if (value.isMissingNode() || value.isNull()) {
      return 0;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw AuthException.badRequest("limits." + name + " must be an integer");
    }
    return value.longValue();
  }
}
