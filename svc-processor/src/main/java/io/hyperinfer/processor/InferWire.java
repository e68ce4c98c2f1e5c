package io.hyperinfer.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.processor.engine.ChatMessage;
import io.hyperinfer.processor.engine.Completion;
import io.hyperinfer.processor.engine.InferenceRequest;
import io.hyperinfer.worker.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of the gateway-to-processor {@code infer} stream. Request: {@code {model, messages:[{role, content}],
 * maxTokens, temperature}}. Chunks: {@code {text}} (the stream's own sequence numbers order them). End frame: {@code
 * {model, finishReason, usage:{promptTokens, completionTokens, totalTokens}, timings:{queueMs, engineTtftMs,
 * engineMs}}}. Errors travel as the stream's error frame with a stable code.
 */
final class InferWire {
  static final int MAX_CONTENT_CHARS = 200_000;

  private InferWire() {}

  static InferenceRequest request(JsonNode payload) {
    if (payload == null || !payload.isObject()) {
      throw ProcessorException.badRequest("infer needs a JSON object");
    }
    List<ChatMessage> messages = new ArrayList<>();
    for (JsonNode m : payload.path("messages")) {
      String content = m.path("content").asText(null);
      if (content != null && content.length() > MAX_CONTENT_CHARS) {
        throw ProcessorException.badRequest("message content is longer than " + MAX_CONTENT_CHARS + " characters");
      }
      messages.add(new ChatMessage(m.path("role").asText(null), content));
    }
    return new InferenceRequest(payload.path("model").asText(null), messages,
        payload.path("maxTokens").asInt(InferenceRequest.DEFAULT_MAX_TOKENS),
        payload.path("temperature").asDouble(0.7));
  }

  static ObjectNode chunk(String text) {
    return Json.object().put("text", text);
  }

  static ObjectNode end(String model, Completion c, double queueMs, double engineMs) {
    ObjectNode end = Json.object().put("model", model).put("finishReason", c.finishReason());
    end.putObject("usage").put("promptTokens", c.promptTokens()).put("completionTokens", c.completionTokens())
        .put("totalTokens", c.promptTokens() + c.completionTokens());
    end.putObject("timings").put("queueMs", queueMs)
        .put("engineTtftMs", c.ttftNanos() < 0 ? -1 : c.ttftNanos() / 1e6).put("engineMs", engineMs);
    return end;
  }
}
