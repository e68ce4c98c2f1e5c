package io.hyperinfer.client;

import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.Credentials;
import io.hyperinfer.contract.infer.InferRequest;
import java.util.List;

/**
 * What to ask: a model, the conversation, a cap on answer tokens (default 256) and a temperature (default 0.7).
 * Immutable.
 */
public record Prompt(String model, List<Message> messages, int maxTokens, double temperature) {
  public Prompt {
    messages = List.copyOf(messages);
  }

  public static Prompt of(String model, String text) {
    return new Prompt(model, List.of(Message.user(text)), 256, 0.7);
  }

  public Prompt withMaxTokens(int n) {
    return new Prompt(model, messages, n, temperature);
  }

  /** The wire request for this prompt, sent with {@code credentials}; ERR_BAD_REQUEST when it is not a valid one. */
  public InferRequest toRequest(Credentials credentials) {
    List<ChatMessage> turns = messages.stream().map(m -> new ChatMessage(m.role(), m.content())).toList();
    return new InferRequest(model, turns, maxTokens, temperature, credentials, null);
  }
}
