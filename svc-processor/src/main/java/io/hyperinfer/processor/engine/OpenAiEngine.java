package io.hyperinfer.processor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.processor.ProcessorException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Any OpenAI-compatible server (vLLM, llama.cpp server, LM Studio, OpenAI): {@code /v1/chat/completions} with SSE
 * streaming ({@code data: {...}} events ending in {@code data: [DONE]}) and {@code /v1/models}. Asks for usage in the
 * stream; counts tokens itself when the server does not send it. Thread-safe.
 */
public final class OpenAiEngine implements InferenceEngine {
  private final EngineSettings settings;
  private final HttpStreaming http;

  public OpenAiEngine(EngineSettings settings) {
    this.settings = settings;
    this.http = new HttpStreaming(settings.connectTimeout(), settings.requestTimeout(), settings.idleTimeout(),
        settings.apiKey().isEmpty() ? Map.of() : Map.of("Authorization", "Bearer " + settings.apiKey()));
  }

  @Override
  public String kind() {
    return "openai";
  }

  @Override
  public List<ModelInfo> models() {
    if (!settings.models().isEmpty()) {
      return settings.models().stream().map(m -> new ModelInfo(m, kind())).toList();
    }
    List<ModelInfo> out = new ArrayList<>();
    for (JsonNode m : http.getJson(settings.resolve("/v1/models")).path("data")) {
      out.add(new ModelInfo(m.path("id").asText(), kind()));
    }
    return out;
  }

  @Override
  public Completion stream(InferRequest request, TokenSink sink, CancelSignal cancel) {
    ObjectNode body = EngineJson.object().put("model", request.model()).put("stream", true)
        .put("max_tokens", request.maxTokens()).put("temperature", request.temperature());
    body.putObject("stream_options").put("include_usage", true);
    ArrayNode messages = body.putArray("messages");
    request.messages().forEach(m -> messages.addObject().put("role", m.role()).put("content", m.content()));

    State state = new State();
    long start = System.nanoTime();
    boolean cancelled = http.postStream(settings.resolve("/v1/chat/completions"), body, cancel, line -> {
      if (!line.startsWith("data:")) {
        return true; // blank separators, comments (": keep-alive") and event names carry nothing we need
      }
      String data = line.substring(5).trim();
      if (data.equals("[DONE]")) {
        state.done = true;
        return false;
      }
      JsonNode event = parse(data);
      if (event.has("error")) {
        throw ProcessorException.failed("engine reported: " + HttpStreaming.errorMessage(data));
      }
      JsonNode choice = event.path("choices").path(0);
      String text = choice.path("delta").path("content").asText("");
      if (!text.isEmpty()) {
        if (state.ttft < 0) {
          state.ttft = System.nanoTime() - start;
        }
        state.pieces++;
        sink.token(text);
      }
      if (choice.hasNonNull("finish_reason")) {
        state.finishReason = "length".equals(choice.path("finish_reason").asText()) ? Completion.LENGTH
            : Completion.STOP;
      }
      if (event.path("usage").isObject()) {
        state.promptTokens = event.path("usage").path("prompt_tokens").asInt(-1);
        state.completionTokens = event.path("usage").path("completion_tokens").asInt(-1);
      }
      return true;
    });
    int prompt = state.promptTokens >= 0 ? state.promptTokens : TokenCounter.count(request);
    int completion = state.completionTokens >= 0 ? state.completionTokens : state.pieces;
    if (cancelled) {
      return new Completion(prompt, state.pieces, Completion.CANCELLED, state.ttft);
    }
    if (!state.done && state.finishReason == null) {
      throw ProcessorException.failed("engine stream ended before [DONE]");
    }
    return new Completion(prompt, completion, state.finishReason == null ? Completion.STOP : state.finishReason,
        state.ttft);
  }

  private static JsonNode parse(String data) {
    try {
      return EngineJson.parse(data);
    } catch (IllegalArgumentException e) {
      throw ProcessorException.failed("engine sent a malformed SSE event");
    }
  }

  /** Per-call accumulation; confined to the streaming thread. */
  private static final class State {
    boolean done;
    int pieces;
    long ttft = -1;
    int promptTokens = -1;
    int completionTokens = -1;
    String finishReason;
  }
}
