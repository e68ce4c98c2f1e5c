package io.hyperinfer.client.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.client.Answer;
import io.hyperinfer.client.EmbeddingResult;
import io.hyperinfer.contract.infer.ToolCall;
import io.hyperinfer.worker.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/**
 * Response bodies and stream chunks in OpenAI's shapes: chat completions ({@code chat.completion} and {@code
 * chat.completion.chunk}), legacy completions ({@code text_completion}), embedding lists and model objects. One
 * instance per answer: it fixes the id, the created time and the model name every chunk repeats. Immutable.
 */
final class Responses {
  private static final Set<String> FINISH = Set.of("stop", "length", "tool_calls", "content_filter");

  private final boolean chat;
  private final String id;
  private final long created = System.currentTimeMillis() / 1000;
  private final String model;

  private Responses(boolean chat, String model) {
    this.chat = chat;
    this.id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
    this.model = model;
  }

  static Responses chat(String model) {
    return new Responses(true, model);
  }

  static Responses completion(String model) {
    return new Responses(false, model);
  }

  private ObjectNode head(boolean chunk) {
    return Json.object().put("id", id)
        .put("object", chat ? (chunk ? "chat.completion.chunk" : "chat.completion") : "text_completion")
        .put("created", created).put("model", model);
  }

  /** The whole answer. */
  ObjectNode whole(Answer a) {
    ObjectNode out = head(false);
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    if (chat) {
      ObjectNode message = choice.putObject("message").put("role", "assistant");
      if (a.text().isEmpty() && !a.toolCalls().isEmpty()) {
        message.putNull("content");
      } else {
        message.put("content", a.text());
      }
      message.putNull("refusal");
      if (!a.toolCalls().isEmpty()) {
        ArrayNode calls = message.putArray("tool_calls");
        a.toolCalls().forEach(c -> calls.add(toolCall(c, true, false)));
      }
    } else {
      choice.put("text", a.text());
    }
    choice.putNull("logprobs").put("finish_reason", finish(a.finishReason()));
    out.set("usage", usage(a));
    out.putObject("hyperinfer").put("processor", a.processor()).put("attempts", a.attempts())
        .set("timings", a.timings());
    return out;
  }

  /** The first chunk of a chat stream: the role, as OpenAI sends it before any content. */
  ObjectNode roleChunk() {
    return chunk(Json.object().put("role", "assistant").put("content", ""), null, null);
  }

  ObjectNode textChunk(String text) {
    return chunk(chat ? Json.object().put("content", text) : null, text, null);
  }

  /** A tool-call piece: id, type and name on the call's first piece, then argument fragments. */
  ObjectNode toolCallChunk(ToolCall piece, boolean first) {
    ObjectNode delta = Json.object();
    delta.putArray("tool_calls").add(toolCall(piece, first, true));
    return chunk(delta, null, null);
  }

  ObjectNode finishChunk(String finishReason) {
    return chunk(chat ? Json.object() : null, "", finish(finishReason));
  }

  /** The usage chunk sent last when the caller set {@code stream_options.include_usage}: no choices. */
  ObjectNode usageChunk(Answer a) {
    ObjectNode out = head(true);
    out.putArray("choices");
    out.set("usage", usage(a));
    return out;
  }

  private ObjectNode chunk(ObjectNode delta, String text, String finish) {
    ObjectNode out = head(true);
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    if (chat) {
      choice.set("delta", delta);
    } else {
      choice.put("text", text);
    }
    choice.putNull("logprobs");
    if (finish == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finish);
    }
    return out;
  }

  private static ObjectNode toolCall(ToolCall c, boolean first, boolean indexed) {
    ObjectNode o = Json.object();
    if (indexed) {
      o.put("index", c.index());
    }
    if (first) {
      o.put("id", c.id()).put("type", "function");
    }
    ObjectNode fn = o.putObject("function");
    if (first) {
      fn.put("name", c.name());
    }
    fn.put("arguments", c.arguments());
    return o;
  }

  private static String finish(String reason) {
    return FINISH.contains(reason) ? reason : "stop";
  }

  private static ObjectNode usage(Answer a) {
    return Json.object().put("prompt_tokens", a.promptTokens()).put("completion_tokens", a.completionTokens())
        .put("total_tokens", a.totalTokens());
  }

  static ObjectNode embeddings(EmbeddingResult r, boolean base64) {
    ObjectNode out = Json.object().put("object", "list");
    ArrayNode data = out.putArray("data");
    for (int i = 0; i < r.vectors().size(); i++) {
      ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
      float[] v = r.vectors().get(i);
      if (base64) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        e.put("embedding", Base64.getEncoder().encodeToString(b.array()));
      } else {
        ArrayNode values = e.putArray("embedding");
        for (float f : v) {
          values.add(f);
        }
      }
    }
    out.put("model", r.model());
    out.putObject("usage").put("prompt_tokens", r.promptTokens()).put("total_tokens", r.promptTokens());
    return out;
  }

  /** A model object from the network's {@code models} entry ({@code {id, processors, created, features}}). */
  static ObjectNode model(JsonNode m) {
    ObjectNode out = Json.object().put("id", m.path("id").asText()).put("object", "model")
        .put("created", m.path("created").asLong(0)).put("owned_by", "hyperinfer");
    out.set("capabilities", m.path("features").isArray() ? m.get("features") : Json.object().arrayNode());
    return out.put("processors", m.path("processors").asInt(0));
  }
}
