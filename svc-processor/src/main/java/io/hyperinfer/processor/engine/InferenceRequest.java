package io.hyperinfer.processor.engine;

import io.hyperinfer.processor.ProcessorException;
import java.util.List;

/**
 * What to generate: a model id, the conversation, a cap on generated tokens and a sampling temperature.
 *
 * @param maxTokens 1..{@link #MAX_TOKENS_LIMIT}
 * @param temperature 0..2
 */
public record InferenceRequest(String model, List<ChatMessage> messages, int maxTokens, double temperature) {
  public static final int MAX_TOKENS_LIMIT = 32_768;
  public static final int MAX_MESSAGES = 512;
  public static final int DEFAULT_MAX_TOKENS = 256;

  public InferenceRequest {
    if (model == null || model.isBlank()) {
      throw ProcessorException.badRequest("model is missing");
    }
    if (messages == null || messages.isEmpty() || messages.size() > MAX_MESSAGES) {
      throw ProcessorException.badRequest("messages must hold 1.." + MAX_MESSAGES + " entries");
    }
    if (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT) {
      throw ProcessorException.badRequest("maxTokens must be 1.." + MAX_TOKENS_LIMIT);
    }
    if (!(temperature >= 0 && temperature <= 2)) {
      throw ProcessorException.badRequest("temperature must be 0..2");
    }
    messages = List.copyOf(messages);
  }

  public InferenceRequest withModel(String otherModel) {
    return new InferenceRequest(otherModel, messages, maxTokens, temperature);
  }

  /** The content of the last user message, or empty when there is none. */
  public String lastUserContent() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role().equals("user")) {
        return messages.get(i).content();
      }
    }
    return "";
  }

  /** All message contents joined, for engines that take a single prompt. */
  public String promptText() {
    StringBuilder sb = new StringBuilder();
    for (ChatMessage m : messages) {
      sb.append(m.role()).append(": ").append(m.content()).append('\n');
    }
    return sb.toString();
  }
}
