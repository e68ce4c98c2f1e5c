package io.hyperinfer.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.infer.InferEnd;
import io.hyperinfer.contract.infer.ToolCall;
import java.util.List;

/**
 * A finished answer: the text, the tool calls the model made (whole), why it ended (stop, length, tool_calls), token
 * usage, the latency breakdown (authMs, queueMs, routingMs, processorMs, engineTtftMs, totalMs), which processor served
 * it and after how many attempts.
 */
public record Answer(String text, List<ToolCall> toolCalls, String finishReason, int promptTokens,
    int completionTokens, JsonNode timings, String processor, int attempts) {
  public Answer {
    toolCalls = List.copyOf(toolCalls);
  }

  static Answer of(String text, List<ToolCall> toolCalls, InferEnd end) {
    return new Answer(text, toolCalls, end.finishReason(), (int) end.usage().promptTokens(),
        (int) end.usage().completionTokens(), end.timings().toJson(), end.processor() == null ? "" : end.processor(),
        Math.max(1, end.attempts()));
  }

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
