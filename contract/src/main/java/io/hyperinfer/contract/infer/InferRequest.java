package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.util.ArrayList;
import java.util.List;

/**
 * One inference request, the same record from client to gateway to processor to engine: a model, the conversation, a
 * cap on answer tokens and a sampling temperature; from the client its {@link Credentials}, which the gateway replaces
 * by the {@link Caller} it vouches for ({@link #forProcessor}). Validated here, once per decode, so a bad request never
 * reaches a processor.
 *
 * <p>JSON: {@code {apiKey? | session?, model, messages: [{role, content}] | prompt, maxTokens?, temperature?, caller?}};
 * {@code prompt} is shorthand for one user message (before any {@code messages}); {@code maxTokens} defaults to
 * {@value #DEFAULT_MAX_TOKENS} (1..{@value #MAX_TOKENS_LIMIT}), {@code temperature} to 0.7 (0..2).
 */
public record InferRequest(String model, List<ChatMessage> messages, int maxTokens, double temperature,
    Credentials credentials, Caller caller) {
  public static final int MAX_MODEL_LENGTH = 200;
  public static final int MAX_MESSAGES = 512;
  public static final int MAX_CHARS = 200_000;
  public static final int MAX_TOKENS_LIMIT = 32_768;
  public static final int DEFAULT_MAX_TOKENS = 256;
  public static final double DEFAULT_TEMPERATURE = 0.7;

  public InferRequest {
    if (model == null || model.isBlank() || model.length() > MAX_MODEL_LENGTH) {
      throw NetException.badRequest("model is missing (1.." + MAX_MODEL_LENGTH + " characters)");
    }
    if (messages == null || messages.isEmpty() || messages.size() > MAX_MESSAGES) {
      throw NetException.badRequest("give a prompt or 1.." + MAX_MESSAGES + " messages");
    }
    messages = List.copyOf(messages);
    long chars = 0;
    for (ChatMessage m : messages) {
      chars += m.content().length();
    }
    if (chars > MAX_CHARS) {
      throw NetException.badRequest("messages are longer than " + MAX_CHARS + " characters");
    }
    if (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT) {
      throw NetException.badRequest("maxTokens must be 1.." + MAX_TOKENS_LIMIT);
    }
    if (!(temperature >= 0 && temperature <= 2)) {
      throw NetException.badRequest("temperature must be 0..2");
    }
    credentials = credentials == null ? Credentials.NONE : credentials;
  }

  /** A request with neither credentials nor caller (engines, tests). */
  public InferRequest(String model, List<ChatMessage> messages, int maxTokens, double temperature) {
    this(model, messages, maxTokens, temperature, Credentials.NONE, null);
  }

  /** What a gateway forwards: the same request, the credentials dropped, the caller it vouches for added. */
  public InferRequest forProcessor(Caller vouched) {
    return new InferRequest(model, messages, maxTokens, temperature, Credentials.NONE, vouched);
  }

  public InferRequest withCredentials(Credentials c) {
    return new InferRequest(model, messages, maxTokens, temperature, c, caller);
  }

  public InferRequest withModel(String otherModel) {
    return new InferRequest(otherModel, messages, maxTokens, temperature, credentials, caller);
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

  /** Characters of all message contents. */
  public long chars() {
    long chars = 0;
    for (ChatMessage m : messages) {
      chars += m.content().length();
    }
    return chars;
  }

  public ObjectNode toJson() {
    ObjectNode o = credentials.writeTo(Json.object()).put("model", model);
    ArrayNode list = o.putArray("messages");
    messages.forEach(m -> list.add(m.toJson()));
    o.put("maxTokens", maxTokens).put("temperature", temperature);
    if (caller != null) {
      o.set("caller", caller.toJson());
    }
    return o;
  }

  public static InferRequest fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "infer");
    List<ChatMessage> messages = new ArrayList<>();
    String prompt = Fields.optionalText(o, "prompt", MAX_CHARS);
    if (prompt != null) {
      messages.add(ChatMessage.user(prompt));
    }
    for (JsonNode m : Fields.array(o, "messages", MAX_MESSAGES)) {
      messages.add(ChatMessage.fromJson(m));
    }
    long maxTokens = Fields.integer(o, "maxTokens", DEFAULT_MAX_TOKENS);
    Fields.check(maxTokens >= 1 && maxTokens <= MAX_TOKENS_LIMIT, "maxTokens must be 1.." + MAX_TOKENS_LIMIT);
    JsonNode caller = o.path("caller");
    return new InferRequest(Fields.optionalText(o, "model", MAX_MODEL_LENGTH), messages, (int) maxTokens,
        Fields.number(o, "temperature", DEFAULT_TEMPERATURE), Credentials.fromJson(o),
        caller.isMissingNode() || caller.isNull() ? null : Caller.fromJson(caller));
  }
}
