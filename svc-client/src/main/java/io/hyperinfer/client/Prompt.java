package io.hyperinfer.client;

import io.hyperinfer.contract.infer.Credentials;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.contract.infer.Sampling;
import io.hyperinfer.contract.infer.Tools;
import java.util.List;

/**
 * What to ask: a model and either a conversation ({@code messages}) or a raw {@code completionPrompt} to continue
 * (legacy completions, null for chat), a cap on answer tokens (default 256), a temperature (default 0.7) and further
 * {@link Options}. Immutable.
 */
public record Prompt(String model, List<Message> messages, String completionPrompt, int maxTokens, double temperature,
    Options options) {
  public Prompt {
    messages = List.copyOf(messages);
    options = options == null ? Options.NONE : options;
  }

  public Prompt(String model, List<Message> messages, int maxTokens, double temperature) {
    this(model, messages, null, maxTokens, temperature, Options.NONE);
  }

  public static Prompt of(String model, String text) {
    return new Prompt(model, List.of(Message.user(text)), 256, 0.7);
  }

  /** A raw prompt to continue (what OpenAI's legacy completions take). */
  public static Prompt completion(String model, String prompt, int maxTokens, double temperature, Options options) {
    return new Prompt(model, List.of(), prompt, maxTokens, temperature, options);
  }

  public Prompt withMaxTokens(int n) {
    return new Prompt(model, messages, completionPrompt, n, temperature, options);
  }

  /** The wire request for this prompt, sent with {@code credentials}; ERR_BAD_REQUEST when it is not a valid one. */
  public InferRequest toRequest(Credentials credentials) {
    Options o = options;
    return new InferRequest(model, messages.stream().map(Message::toTurn).toList(), completionPrompt, maxTokens,
        new Sampling(temperature, o.topP(), o.seed(), o.presencePenalty(), o.frequencyPenalty(), o.stop()),
        new Tools(o.tools(), o.toolChoice()), o.responseFormat(), credentials, null);
  }
}
