package io.hyperinfer.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A finished answer: the text, why it ended, token usage, the latency breakdown (authMs, queueMs, routingMs,
 * processorMs, engineTtftMs, totalMs), which processor served it and after how many attempts.
 */
public record Answer(String text, String finishReason, int promptTokens, int completionTokens, JsonNode timings,
    String processor, int attempts) {
  static Answer of(String text, JsonNode end) {
    JsonNode u = end.path("usage");
    return new Answer(text, end.path("finishReason").asText("stop"), u.path("promptTokens").asInt(),
        u.path("completionTokens").asInt(), end.path("timings"), end.path("processor").asText(""),
        end.path("attempts").asInt(1));
  }

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
