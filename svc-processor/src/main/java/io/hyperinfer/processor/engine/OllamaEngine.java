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
 * An Ollama server: {@code /api/chat} or {@code /api/generate} with NDJSON streaming (one JSON object per line, the
 * last with {@code "done":true} and token counts), {@code /api/tags} for the model list. Thread-safe.
 */
public final class OllamaEngine implements InferenceEngine {
  private final EngineSettings settings;
  private final HttpStreaming http;

  public OllamaEngine(EngineSettings settings) {
    this.settings = settings;
    this.http = new HttpStreaming(settings.connectTimeout(), settings.requestTimeout(), settings.idleTimeout(), Map.of());
  }

  @Override
  public String kind() {
    return "ollama";
  }

  @Override
  public List<ModelInfo> models() {
    if (!settings.models().isEmpty()) {
      return settings.models().stream().map(m -> new ModelInfo(m, kind())).toList();
    }
    List<ModelInfo> out = new ArrayList<>();
    for (JsonNode m : http.getJson(settings.resolve("/api/tags")).path("models")) {
      out.add(new ModelInfo(m.path("name").asText(m.path("model").asText()), kind()));
    }
    return out;
  }

  @Override
  public Completion stream(InferRequest request, TokenSink sink, CancelSignal cancel) {
    boolean chat = !"generate".equals(settings.api());
    ObjectNode body = EngineJson.object().put("model", request.model()).put("stream", true);
    if (chat) {
      ArrayNode messages = body.putArray("messages");
      request.messages().forEach(m -> messages.addObject().put("role", m.role()).put("content", m.content()));
    } else {
      body.put("prompt", request.promptText());
    }
    body.putObject("options").put("num_predict", request.maxTokens()).put("temperature", request.temperature());

    StreamState state = new StreamState();
    long start = System.nanoTime();
    boolean cancelled = http.postStream(settings.resolve(chat ? "/api/chat" : "/api/generate"), body, cancel, line -> {
      if (line.isBlank()) {
        return true;
      }
      JsonNode event = parse(line);
      if (event.has("error")) {
        throw ProcessorException.failed("engine reported: " + event.path("error").asText());
      }
      String text = chat ? event.path("message").path("content").asText("") : event.path("response").asText("");
      if (!text.isEmpty()) {
        state.token(text, start);
        sink.token(text);
      }
      if (event.path("done").asBoolean(false)) {
        state.finish(event);
        return false;
      }
      return true;
    });
    int prompt = state.promptTokens >= 0 ? state.promptTokens : TokenCounter.count(request);
    if (cancelled) {
      return new Completion(prompt, state.pieces, Completion.CANCELLED, state.ttft);
    }
    if (state.finishReason == null) {
      throw ProcessorException.failed("engine stream ended before its final message");
    }
    int completion = state.completionTokens >= 0 ? state.completionTokens : state.pieces;
    return new Completion(prompt, completion, state.finishReason, state.ttft);
  }

  private static JsonNode parse(String line) {
    try {
      return EngineJson.parse(line);
    } catch (IllegalArgumentException e) {
      throw ProcessorException.failed("engine sent a malformed stream line");
    }
  }

  /** Per-call accumulation; confined to the streaming thread. */
  private static final class StreamState {
    int pieces;
    long ttft = -1;
    int promptTokens = -1;
    int completionTokens = -1;
    String finishReason;

    void token(String text, long start) {
      if (ttft < 0) {
        ttft = System.nanoTime() - start;
      }
      pieces++;
    }

    void finish(JsonNode last) {
      if (last.has("prompt_eval_count")) {
        promptTokens = last.path("prompt_eval_count").asInt();
      }
      if (last.has("eval_count")) {
        completionTokens = last.path("eval_count").asInt();
      }
      finishReason = "length".equals(last.path("done_reason").asText()) ? Completion.LENGTH : Completion.STOP;
    }
  }
}
