package io.hyperinfer.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.infer.InferEnd;

/**
 * A finished answer: the text, why it ended, token usage, the latency breakdown (authMs, queueMs, routingMs,
 * processorMs, engineTtftMs, totalMs), which processor served it and after how many attempts.
 */
public record Answer(String text, String finishReason, int promptTokens, int completionTokens, JsonNode timings,
    String processor, int attempts) {
  static Answer of(String text, InferEnd end) {
    return new Answer(text, end.finishReason(), (int) end.usage().promptTokens(), (int) end.usage().completionTokens(),
        end.timings().toJson(), end.processor() == null ? "" : end.processor(), Math.max(1, end.attempts()));
  }

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
