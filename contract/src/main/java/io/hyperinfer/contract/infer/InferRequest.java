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
 * One inference request, the same record from client to gateway to processor to engine: a model; either a
 * conversation ({@code messages}, chat) or a raw {@code completionPrompt} to continue (legacy completions; null for
 * chat); a cap on answer tokens; {@link Sampling}; {@link Tools} the model may call; the {@link ResponseFormat}; from
 * the client its {@link Credentials}, which the gateway replaces by the {@link Caller} it vouches for ({@link
 * #forProcessor}). Validated here, once per decode, so a bad request never reaches a processor; whether a model can
 * honour each option is the processor's call.
 *
 * <p>JSON: {@code {apiKey? | session?, model, messages: [...] | prompt | completionPrompt, maxTokens?, temperature?,
 * topP?, seed?, presencePenalty?, frequencyPenalty?, stop?, tools?, toolChoice?, responseFormat?, caller?}}; {@code
 * prompt} is shorthand for one user message (before any {@code messages}); {@code maxTokens} defaults to {@value
 * #DEFAULT_MAX_TOKENS} (1..{@value #MAX_TOKENS_LIMIT}), {@code temperature} to 0.7 (0..2). Text (contents, tool-call
 * arguments, the completion prompt) is capped at {@value #MAX_CHARS} characters, image URLs at {@value
 * #MAX_IMAGE_CHARS}.
 */
public record InferRequest(String model, List<ChatMessage> messages, String completionPrompt, int maxTokens,
    Sampling sampling, Tools tools, ResponseFormat responseFormat, Credentials credentials, Caller caller) {
  public static final int MAX_MODEL_LENGTH = 200;
  public static final int MAX_MESSAGES = 512;
  public static final int MAX_CHARS = 200_000;
  public static final int MAX_IMAGE_CHARS = 8_000_000;
  public static final int MAX_TOKENS_LIMIT = 32_768;
  public static final int DEFAULT_MAX_TOKENS = 256;
  public static final double DEFAULT_TEMPERATURE = Sampling.DEFAULT_TEMPERATURE;

  public InferRequest {
    if (model == null || model.isBlank() || model.length() > MAX_MODEL_LENGTH) {
      throw NetException.badRequest("model is missing (1.." + MAX_MODEL_LENGTH + " characters)");
    }
    messages = messages == null ? List.of() : List.copyOf(messages);
    if (completionPrompt == null && (messages.isEmpty() || messages.size() > MAX_MESSAGES)) {
      throw NetException.badRequest("give a prompt or 1.." + MAX_MESSAGES + " messages");
    }
    if (completionPrompt != null && !messages.isEmpty()) {
      throw NetException.badRequest("give either messages or a completion prompt, not both");
    }
    long text = completionPrompt == null ? 0 : completionPrompt.length();
    long images = 0;
    for (ChatMessage m : messages) {
      long imageChars = m.images().stream().mapToLong(i -> i.url().length()).sum();
      images += imageChars;
      text += m.chars() - imageChars;
    }
    if (text > MAX_CHARS) {
      throw NetException.badRequest("messages are longer than " + MAX_CHARS + " characters");
    }
    if (images > MAX_IMAGE_CHARS) {
      throw NetException.badRequest("images are larger than " + MAX_IMAGE_CHARS + " characters in total");
    }
    if (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT) {
      throw NetException.badRequest("maxTokens must be 1.." + MAX_TOKENS_LIMIT);
    }
    sampling = sampling == null ? Sampling.DEFAULT : sampling;
    tools = tools == null ? Tools.NONE : tools;
    if (completionPrompt != null && !tools.isEmpty()) {
      throw NetException.badRequest("tools need messages, not a completion prompt");
    }
    responseFormat = responseFormat == null ? ResponseFormat.TEXT : responseFormat;
    credentials = credentials == null ? Credentials.NONE : credentials;
  }

  /** A chat request with default options. */
  public InferRequest(String model, List<ChatMessage> messages, int maxTokens, double temperature,
      Credentials credentials, Caller caller) {
    this(model, messages, null, maxTokens, Sampling.temperature(temperature), Tools.NONE, ResponseFormat.TEXT,
        credentials, caller);
  }

  /** A request with neither credentials nor caller (engines, tests). */
  public InferRequest(String model, List<ChatMessage> messages, int maxTokens, double temperature) {
    this(model, messages, maxTokens, temperature, Credentials.NONE, null);
  }

  /** A raw-prompt (legacy completion) request with neither credentials nor caller. */
  public static InferRequest completion(String model, String prompt, int maxTokens, Sampling sampling) {
    return new InferRequest(model, List.of(), prompt, maxTokens, sampling, Tools.NONE, ResponseFormat.TEXT,
        Credentials.NONE, null);
  }

  /** What a gateway forwards: the same request, the credentials dropped, the caller it vouches for added. */
  public InferRequest forProcessor(Caller vouched) {
    return new InferRequest(model, messages, completionPrompt, maxTokens, sampling, tools, responseFormat,
        Credentials.NONE, vouched);
  }

  public InferRequest withCredentials(Credentials c) {
    return new InferRequest(model, messages, completionPrompt, maxTokens, sampling, tools, responseFormat, c, caller);
  }

  public InferRequest withModel(String otherModel) {
    return new InferRequest(otherModel, messages, completionPrompt, maxTokens, sampling, tools, responseFormat,
        credentials, caller);
  }

  public boolean isCompletion() {
    return completionPrompt != null;
  }

  public double temperature() {
    return sampling.temperature();
  }

  /** The content of the last user message (the prompt of a completion), or empty when there is none. */
  public String lastUserContent() {
    if (isCompletion()) {
      return completionPrompt;
    }
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role().equals("user")) {
        return messages.get(i).content();
      }
    }
    return "";
  }

  /** The completion prompt, or all message contents joined, for engines that take a single prompt. */
  public String promptText() {
    if (isCompletion()) {
      return completionPrompt;
    }
    StringBuilder sb = new StringBuilder();
    for (ChatMessage m : messages) {
      sb.append(m.role()).append(": ").append(m.content()).append('\n');
    }
    return sb.toString();
  }

  /** Characters of the text the model reads: message contents, or the completion prompt. */
  public long chars() {
    if (isCompletion()) {
      return completionPrompt.length();
    }
    long chars = 0;
    for (ChatMessage m : messages) {
      chars += m.content().length();
    }
    return chars;
  }

  public ObjectNode toJson() {
    ObjectNode o = credentials.writeTo(Json.object()).put("model", model);
    if (isCompletion()) {
      o.put("completionPrompt", completionPrompt);
    } else {
      ArrayNode list = o.putArray("messages");
      messages.forEach(m -> list.add(m.toJson()));
    }
    o.put("maxTokens", maxTokens);
    sampling.writeTo(o);
    tools.writeTo(o);
    if (!responseFormat.isText()) {
      o.set("responseFormat", responseFormat.toJson());
    }
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
    JsonNode format = o.path("responseFormat");
    return new InferRequest(Fields.optionalText(o, "model", MAX_MODEL_LENGTH), messages,
        Fields.optionalText(o, "completionPrompt", MAX_CHARS), (int) maxTokens, Sampling.fromJson(o),
        Tools.fromJson(o), format.isMissingNode() || format.isNull() ? null : ResponseFormat.fromJson(format),
        Credentials.fromJson(o), caller.isMissingNode() || caller.isNull() ? null : Caller.fromJson(caller));
  }
}
