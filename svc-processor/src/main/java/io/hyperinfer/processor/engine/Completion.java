package io.hyperinfer.processor.engine;

/**
 * How a generation ended.
 *
 * @param finishReason "stop" (the model ended or a stop sequence matched), "length" (maxTokens reached), "tool_calls"
 *     (the model called tools) or "cancelled"
 * @param ttftNanos time from the engine call to the first token; -1 when no token came
 */
public record Completion(int promptTokens, int completionTokens, String finishReason, long ttftNanos) {
  public static final String STOP = "stop";
  public static final String LENGTH = "length";
  public static final String TOOL_CALLS = "tool_calls";
  public static final String CANCELLED = "cancelled";
}
