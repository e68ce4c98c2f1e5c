package io.hyperinfer.processor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.infer.EmbedRequest;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.processor.ProcessorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Any OpenAI-compatible server (vLLM, llama.cpp server, LM Studio, OpenAI): {@code /v1/chat/completions} and {@code
 * /v1/completions} with SSE streaming ({@code data: {...}} events ending in {@code data: [DONE]}), {@code
 * /v1/embeddings} and {@code /v1/models}. Every option (stop, top_p, seed, penalties, tools, response_format, image
 * parts) is forwarded as is; the server's own refusals come back as typed errors. Asks for usage in the stream and
 * counts tokens itself when the server sends none. Thread-safe.
 */
public final class OpenAiEngine implements InferenceEngine, EmbeddingEngine {
  private final EngineSettings settings;
  private final HttpStreaming http;
  private final long started = System.currentTimeMillis() / 1000;

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
      return settings.models().stream().map(m -> new ModelInfo(m, kind(), settings.features(), started)).toList();
    }
    List<ModelInfo> out = new ArrayList<>();
    for (JsonNode m : http.getJson(settings.resolve("/v1/models")).path("data")) {
      out.add(new ModelInfo(m.path("id").asText(), kind(), settings.features(), m.path("created").asLong(started)));
    }
    return out;
  }

  @Override
  public Completion stream(InferRequest request, TokenSink sink, CancelSignal cancel) {
    ObjectNode body = EngineJson.object().put("model", request.model()).put("stream", true);
    body.putObject("stream_options").put("include_usage", true);
    if (request.isCompletion()) {
      body.put("prompt", request.completionPrompt());
    } else {
      body.set("messages", OpenAiWire.messages(request.messages()));
    }
    OpenAiWire.options(body, request);

    State state = new State();
    long start = System.nanoTime();
    String path = request.isCompletion() ? "/v1/completions" : "/v1/chat/completions";
    boolean cancelled = http.postStream(settings.resolve(path), body, cancel, line -> {
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
        throw EngineError.parse(data).midStream();
      }
      JsonNode choice = OpenAiWire.choice(event);
      String text = request.isCompletion() ? choice.path("text").asText("")
          : choice.path("delta").path("content").asText("");
      if (!text.isEmpty()) {
        state.piece(start);
        sink.token(text);
      }
      for (JsonNode d : choice.path("delta").path("tool_calls")) {
        state.piece(start);
        sink.toolCall(OpenAiWire.toolCallDelta(d));
      }
      if (choice.hasNonNull("finish_reason")) {
        state.finishReason = switch (choice.path("finish_reason").asText()) {
          case "length" -> Completion.LENGTH;
          case "tool_calls", "function_call" -> Completion.TOOL_CALLS;
          default -> Completion.STOP;
        };
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

  @Override
  public Embeddings embed(EmbedRequest request, CancelSignal cancel) {
    ObjectNode body = EngineJson.object().put("model", request.model()).put("encoding_format", "float");
    ArrayNode input = body.putArray("input");
    request.inputs().forEach(input::add);
    JsonNode answer = http.postJson(settings.resolve("/v1/embeddings"), body, cancel);
    if (answer == null) {
      return new Embeddings(List.of(), 0);
    }
    float[][] vectors = new float[request.inputs().size()][];
    for (JsonNode d : answer.path("data")) {
      int i = d.path("index").asInt(-1);
      if (i < 0 || i >= vectors.length || vectors[i] != null) {
        throw ProcessorException.failed("engine returned an embedding with a bad index");
      }
      vectors[i] = EngineJson.floats(d.path("embedding"));
    }
    for (float[] v : vectors) {
      if (v == null) {
        throw ProcessorException.failed("engine returned fewer embeddings than inputs");
      }
    }
    int tokens = answer.path("usage").path("prompt_tokens").asInt(-1);
    return new Embeddings(List.of(vectors), tokens >= 0 ? tokens
        : request.inputs().stream().mapToInt(TokenCounter::count).sum());
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

    void piece(long start) {
      if (ttft < 0) {
        ttft = System.nanoTime() - start;
      }
      pieces++;
    }
  }
}
