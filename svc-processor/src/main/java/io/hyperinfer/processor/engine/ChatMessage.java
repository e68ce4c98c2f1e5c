package io.hyperinfer.processor.engine;

import io.hyperinfer.processor.ProcessorException;
import java.util.Set;

/** One turn of a conversation; role is system, user or assistant. */
public record ChatMessage(String role, String content) {
  private static final Set<String> ROLES = Set.of("system", "user", "assistant");

  public ChatMessage {
    if (role == null || !ROLES.contains(role)) {
      throw ProcessorException.badRequest("message role must be system, user or assistant");
    }
    if (content == null) {
      throw ProcessorException.badRequest("message content is missing");
    }
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }
}
