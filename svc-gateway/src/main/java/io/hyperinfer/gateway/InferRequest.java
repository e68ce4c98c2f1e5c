package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.util.Set;

/**
 * The client's {@code infer} payload: {@code {apiKey | session, model, messages:[{role, content}] | prompt, maxTokens
 * (default 256, 1..32768), temperature (default 0.7, 0..2)}}. Checked here so a bad request never reaches a processor;
 * the credential is dropped from what is forwarded.
 */
final class InferRequest {
  static final int MAX_MESSAGES = 512;
  static final int MAX_CHARS = 200_000;
  private static final Set<String> ROLES = Set.of("system", "user", "assistant");

  private InferRequest() {}

  static ObjectNode toProcessorPayload(JsonNode p) {
    String model = p.path("model").asText("");
    if (model.isBlank() || model.length() > 200) {
      throw NetException.badRequest("model is missing");
    }
    ArrayNode messages = Json.object().arrayNode();
    if (p.hasNonNull("prompt")) {
      messages.addObject().put("role", "user").put("content", p.get("prompt").asText());
    }
    for (JsonNode m : p.path("messages")) {
      String role = m.path("role").asText("");
      if (!ROLES.contains(role) || !m.path("content").isTextual()) {
        throw NetException.badRequest("each message needs a role (system, user, assistant) and text content");
      }
      messages.addObject().put("role", role).put("content", m.get("content").asText());
    }
    if (messages.isEmpty() || messages.size() > MAX_MESSAGES) {
      throw NetException.badRequest("give a prompt or 1.." + MAX_MESSAGES + " messages");
    }
    int chars = 0;
    for (JsonNode m : messages) {
      chars += m.get("content").asText().length();
    }
    if (chars > MAX_CHARS) {
      throw NetException.badRequest("messages are longer than " + MAX_CHARS + " characters");
    }
    int maxTokens = p.path("maxTokens").asInt(256);
    double temperature = p.path("temperature").asDouble(0.7);
    if (maxTokens < 1 || maxTokens > 32_768 || !(temperature >= 0 && temperature <= 2)) {
      throw NetException.badRequest("maxTokens must be 1..32768 and temperature 0..2");
    }
    ObjectNode out = Json.object().put("model", model);
    out.set("messages", messages);
    return out.put("maxTokens", maxTokens).put("temperature", temperature);
  }

  /** Tokens to reserve at admission: about four characters per prompt token plus the answer's cap. */
  static long estimateTokens(ObjectNode forward) {
    long chars = 0;
    for (JsonNode m : forward.path("messages")) {
      chars += m.path("content").asText().length();
    }
    return (chars + 3) / 4 + forward.path("messages").size() + forward.path("maxTokens").asLong();
  }
}
