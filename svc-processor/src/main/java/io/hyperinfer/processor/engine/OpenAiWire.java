package io.hyperinfer.processor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.ImageRef;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.contract.infer.ResponseFormat;
import io.hyperinfer.contract.infer.Sampling;
import io.hyperinfer.contract.infer.ToolCall;
import io.hyperinfer.contract.infer.ToolSpec;
import java.util.List;

/** Request bodies in OpenAI's chat wire format (also taken by Ollama for tools). Stateless. */
final class OpenAiWire {
  private OpenAiWire() {}

  /** {@code [{type: function, function: {name, description, parameters}}]}. */
  static ArrayNode tools(List<ToolSpec> tools) {
    ArrayNode out = EngineJson.object().arrayNode();
    for (ToolSpec t : tools) {
      ObjectNode fn = out.addObject().put("type", "function").putObject("function").put("name", t.name())
          .put("description", t.description());
      if (t.parameters() != null) {
        fn.set("parameters", t.parameters());
      }
    }
    return out;
  }

  /** Messages with image parts, tool calls and tool results in OpenAI's shape. */
  static ArrayNode messages(List<ChatMessage> messages) {
    ArrayNode out = EngineJson.object().arrayNode();
    for (ChatMessage m : messages) {
      ObjectNode o = out.addObject().put("role", m.role());
      if (m.images().isEmpty()) {
        o.put("content", m.content());
      } else {
        ArrayNode parts = o.putArray("content");
        if (!m.content().isEmpty()) {
          parts.addObject().put("type", "text").put("text", m.content());
        }
        for (ImageRef image : m.images()) {
          ObjectNode url = parts.addObject().put("type", "image_url").putObject("image_url").put("url", image.url());
          if (image.detail() != null) {
            url.put("detail", image.detail());
          }
        }
      }
      if (m.toolCallId() != null) {
        o.put("tool_call_id", m.toolCallId());
      }
      if (!m.toolCalls().isEmpty()) {
        ArrayNode calls = o.putArray("tool_calls");
        for (ToolCall c : m.toolCalls()) {
          calls.addObject().put("id", c.id()).put("type", "function").putObject("function").put("name", c.name())
              .put("arguments", c.arguments());
        }
      }
    }
    return out;
  }

  /** Sampling, stop, tools and response format onto an OpenAI request {@code body}. */
  static void options(ObjectNode body, InferRequest request) {
    Sampling s = request.sampling();
    body.put("max_tokens", request.maxTokens()).put("temperature", s.temperature());
    if (s.topP() != null) {
      body.put("top_p", s.topP());
    }
    if (s.seed() != null) {
      body.put("seed", s.seed());
    }
    if (s.presencePenalty() != null) {
      body.put("presence_penalty", s.presencePenalty());
    }
    if (s.frequencyPenalty() != null) {
      body.put("frequency_penalty", s.frequencyPenalty());
    }
    if (!s.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      s.stop().forEach(stop::add);
    }
    if (!request.tools().specs().isEmpty()) {
      body.set("tools", tools(request.tools().specs()));
      if (request.tools().choice() != null) {
        body.set("tool_choice", request.tools().choice());
      }
    }
    ResponseFormat f = request.responseFormat();
    if (!f.isText()) {
      ObjectNode rf = body.putObject("response_format").put("type", f.type());
      if (f.schema() != null) {
        ObjectNode js = rf.putObject("json_schema").put("name", f.name() == null ? "response" : f.name());
        js.set("schema", f.schema());
      }
    }
  }

  /** A streamed tool-call delta ({@code {index, id?, function: {name?, arguments?}}}) as a {@link ToolCall} piece. */
  static ToolCall toolCallDelta(JsonNode d) {
    JsonNode fn = d.path("function");
    return new ToolCall(d.path("index").asInt(0), d.hasNonNull("id") ? d.get("id").asText() : null,
        fn.hasNonNull("name") ? fn.get("name").asText() : null, fn.path("arguments").asText(""));
  }

  static JsonNode choice(JsonNode event) {
    return event.path("choices").path(0);
  }
}
