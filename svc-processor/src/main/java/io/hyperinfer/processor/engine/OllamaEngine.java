package io.hyperinfer.processor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.EmbedRequest;
import io.hyperinfer.contract.infer.ImageRef;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.contract.infer.ResponseFormat;
import io.hyperinfer.contract.infer.Sampling;
import io.hyperinfer.contract.infer.ToolCall;
import io.hyperinfer.processor.ProcessorException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An Ollama server: {@code /api/chat} (conversations, tools, images, JSON formats) or {@code /api/generate} (raw
 * prompts, and conversations when configured with {@code api: generate}) with NDJSON streaming (one JSON object per
 * line, the last with {@code "done":true} and token counts); {@code /api/embed} for embeddings; {@code /api/tags} for
 * the model list. Options map to Ollama's {@code options} (num_predict, temperature, top_p, seed, presence_penalty,
 * frequency_penalty, stop). Thread-safe.
 */
public final class OllamaEngine implements InferenceEngine, EmbeddingEngine {
  private final EngineSettings settings;
  private final HttpStreaming http;
  private final long started = System.currentTimeMillis() / 1000;

  public OllamaEngine(EngineSettings settings) {
    this.settings = settings;
    this.http = new HttpStreaming(settings.connectTimeout(), settings.requestTimeout(), settings.idleTimeout(),
        Map.of());
  }

  @Override
  public String kind() {
    return "ollama";
  }

  @Override
  public List<ModelInfo> models() {
    if (!settings.models().isEmpty()) {
      return settings.models().stream().map(m -> new ModelInfo(m, kind(), settings.features(), started)).toList();
    }
    List<ModelInfo> out = new ArrayList<>();
    for (JsonNode m : http.getJson(settings.resolve("/api/tags")).path("models")) {
      out.add(new ModelInfo(m.path("name").asText(m.path("model").asText()), kind(), settings.features(),
          epochSeconds(m.path("modified_at").asText(""), started)));
    }
    return out;
  }

  @Override
  public Completion stream(InferRequest request, TokenSink sink, CancelSignal cancel) {
    boolean chat = !request.isCompletion() && !"generate".equals(settings.api());
    ObjectNode body = EngineJson.object().put("model", request.model()).put("stream", true);
    if (chat) {
      body.set("messages", messages(request.messages()));
      if (!request.tools().specs().isEmpty()) {
        body.set("tools", OpenAiWire.tools(request.tools().specs()));
      }
    } else {
      body.put("prompt", request.promptText()).put("raw", request.isCompletion());
    }
    ResponseFormat format = request.responseFormat();
    if (!format.isText()) {
      if (format.schema() != null) {
        body.set("format", format.schema());
      } else {
        body.put("format", "json");
      }
    }
    body.set("options", options(request));

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
      JsonNode message = event.path("message");
      String text = chat ? message.path("content").asText("") : event.path("response").asText("");
      if (!text.isEmpty()) {
        state.token(start);
        sink.token(text);
      }
      for (JsonNode call : message.path("tool_calls")) {
        state.token(start);
        JsonNode fn = call.path("function");
        sink.toolCall(new ToolCall(state.toolCalls, call.path("id").asText(ToolCalls.newId()), fn.path("name").asText(),
            fn.path("arguments").isTextual() ? fn.path("arguments").asText() : fn.path("arguments").toString()));
        state.toolCalls++;
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
    String reason = state.toolCalls > 0 && state.finishReason.equals(Completion.STOP) ? Completion.TOOL_CALLS
        : state.finishReason;
    return new Completion(prompt, completion, reason, state.ttft);
  }

  @Override
  public Embeddings embed(EmbedRequest request, CancelSignal cancel) {
    ObjectNode body = EngineJson.object().put("model", request.model());
    ArrayNode input = body.putArray("input");
    request.inputs().forEach(input::add);
    JsonNode answer = http.postJson(settings.resolve("/api/embed"), body, cancel);
    if (answer == null) {
      return new Embeddings(List.of(), 0);
    }
    List<float[]> vectors = new ArrayList<>();
    for (JsonNode v : answer.path("embeddings")) {
      vectors.add(EngineJson.floats(v));
    }
    if (vectors.size() != request.inputs().size()) {
      throw ProcessorException.failed("engine returned " + vectors.size() + " embeddings for "
          + request.inputs().size() + " inputs");
    }
    int tokens = answer.path("prompt_eval_count").asInt(-1);
    return new Embeddings(vectors, tokens >= 0 ? tokens
        : request.inputs().stream().mapToInt(TokenCounter::count).sum());
  }

  private static ArrayNode messages(List<ChatMessage> messages) {
    ArrayNode out = EngineJson.object().arrayNode();
    for (ChatMessage m : messages) {
      ObjectNode o = out.addObject().put("role", m.role()).put("content", m.content());
      if (!m.images().isEmpty()) {
        ArrayNode images = o.putArray("images");
        for (ImageRef image : m.images()) {
          if (!image.isData()) {
            throw ProcessorException.unsupported("messages", "Ollama takes images as data: URLs only; this processor "
                + "does not fetch remote image URLs");
          }
          images.add(image.base64());
        }
      }
      if (!m.toolCalls().isEmpty()) {
        ArrayNode calls = o.putArray("tool_calls");
        for (ToolCall c : m.toolCalls()) {
          calls.addObject().putObject("function").put("name", c.name()).set("arguments", ToolCalls.argumentsObject(c));
        }
      }
    }
    return out;
  }

  private static ObjectNode options(InferRequest request) {
    Sampling s = request.sampling();
    ObjectNode o = EngineJson.object().put("num_predict", request.maxTokens()).put("temperature", s.temperature());
    if (s.topP() != null) {
      o.put("top_p", s.topP());
    }
    if (s.seed() != null) {
      o.put("seed", s.seed());
    }
    if (s.presencePenalty() != null) {
      o.put("presence_penalty", s.presencePenalty());
    }
    if (s.frequencyPenalty() != null) {
      o.put("frequency_penalty", s.frequencyPenalty());
    }
    if (!s.stop().isEmpty()) {
      ArrayNode stop = o.putArray("stop");
      s.stop().forEach(stop::add);
    }
    return o;
  }

  static long epochSeconds(String iso, long fallback) {
    try {
      return iso.isEmpty() ? fallback : java.time.OffsetDateTime.parse(iso).toEpochSecond();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(iso).getEpochSecond();
      } catch (DateTimeParseException again) {
        return fallback;
      }
    }
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
    int toolCalls;
    long ttft = -1;
    int promptTokens = -1;
    int completionTokens = -1;
    String finishReason;

    void token(long start) {
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
