package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.util.Set;

/** One turn of a conversation: role system, user or assistant, and its text. JSON {@code {role, content}}. */
public record ChatMessage(String role, String content) {
  public static final Set<String> ROLES = Set.of("system", "user", "assistant");

  public ChatMessage {
    if (role == null || !ROLES.contains(role)) {
      throw NetException.badRequest("each message needs a role (system, user, assistant)");
    }
    if (content == null) {
      throw NetException.badRequest("each message needs text content");
    }
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }

  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  public ObjectNode toJson() {
    return Json.object().put("role", role).put("content", content);
  }

  public static ChatMessage fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "a message");
    JsonNode content = o.path("content");
    if (!content.isTextual()) {
      throw NetException.badRequest("each message needs a role (system, user, assistant) and text content");
    }
    return new ChatMessage(o.path("role").asText(""), content.textValue());
  }
}
