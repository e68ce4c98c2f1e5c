package io.hyperinfer.client;

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
}
