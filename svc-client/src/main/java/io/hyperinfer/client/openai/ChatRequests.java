package io.hyperinfer.client.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.client.Message;
import io.hyperinfer.client.Options;
import io.hyperinfer.client.Prompt;
import io.hyperinfer.contract.infer.ImageRef;
import io.hyperinfer.contract.infer.ResponseFormat;
import io.hyperinfer.contract.infer.ToolCall;
import io.hyperinfer.contract.infer.ToolSpec;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/chat/completions} bodies as the OpenAI SDKs send them, turned into a {@link Prompt}. Every field is
 * either honoured (model, messages with text and image parts, tool calls and tool results, max_tokens /
 * max_completion_tokens, temperature, top_p, seed, presence and frequency penalties, stop, tools, tool_choice,
 * response_format, stream, stream_options), accepted because it changes nothing in the answer (user, metadata,
 * service_tier, store false, n 1, logprobs false, parallel_tool_calls true, modalities ["text"]), or refused with an
 * OpenAI error naming it. Stateless.
 */
final class ChatRequests {
  static final int DEFAULT_MAX_TOKENS = 256;

  private ChatRequests() {}

  static GenerationCall parse(JsonNode body) {
    Params p = Params.of(body);
    String model = p.requiredString("model");
    List<Message> messages = messages(p.get("messages"));
    Integer max = p.integer("max_completion_tokens", 1, 32_768);
    Integer legacyMax = p.integer("max_tokens", 1, 32_768);
    int maxTokens = max != null ? max : legacyMax != null ? legacyMax : DEFAULT_MAX_TOKENS;
    Double temperature = p.number("temperature", 0, 2);
    Options options = new Options(p.number("top_p", 0, 1), p.longValue("seed"), p.number("presence_penalty", -2, 2),
        p.number("frequency_penalty", -2, 2), CommonParams.stop(p.get("stop")), tools(p.get("tools")),
        toolChoice(p.get("tool_choice")), responseFormat(p.get("response_format")));
    if (options.toolChoice() != null && options.tools().isEmpty()) {
      throw OpenAiError.invalidValue("tool_choice", "'tool_choice' is only allowed when 'tools' are given");
    }
    boolean stream = p.bool("stream", false);
    boolean includeUsage = CommonParams.includeUsage(p, stream);
    CommonParams.refuseUnsupported(p);
    p.onlyNeutral("parallel_tool_calls", JsonNode::asBoolean, "tool calls are never forced to run one at a time");
    p.onlyNeutral("modalities", m -> m.isArray() && m.size() == 1 && "text".equals(m.get(0).asText()),
        "only text answers");
    p.unsupported("audio", "only text answers");
    p.unsupported("prediction", "predicted outputs are not offered");
    p.unsupported("reasoning_effort", "no reasoning models are offered");
    p.unsupported("web_search_options", "no web search");
    p.unsupported("functions", "use 'tools'");
    p.unsupported("function_call", "use 'tool_choice'");
    p.unsupported("top_logprobs", "log probabilities are not offered");
    p.rejectUnknown();
    return new GenerationCall(new Prompt(model, messages, null, maxTokens,
        temperature == null ? 0.7 : temperature, options), stream, includeUsage);
  }

  private static List<Message> messages(JsonNode list) {
    if (list == null) {
      throw OpenAiError.invalid("missing_required_parameter", "messages", "you must provide 'messages'");
    }
    if (!list.isArray() || list.isEmpty()) {
      throw OpenAiError.invalidValue("messages", "'messages' must be a non-empty array");
    }
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(message(list.get(i), "messages[" + i + "]"));
    }
    return out;
  }

  private static Message message(JsonNode m, String where) {
    Params p = Params.of(m);
    String role = p.requiredString("role");
    role = switch (role) {
      case "developer" -> "system";
      case "system", "user", "assistant", "tool" -> role;
      default -> throw OpenAiError.invalidValue(where + ".role", "role '" + role
          + "' is not one of system, developer, user, assistant, tool");
    };
    StringBuilder text = new StringBuilder();
    List<ImageRef> images = new ArrayList<>();
    content(p.get("content"), role, where + ".content", text, images);
    List<ToolCall> calls = role.equals("assistant") ? toolCalls(p.get("tool_calls"), where) : List.of();
    String toolCallId = null;
    if (role.equals("tool")) {
      JsonNode id = p.get("tool_call_id");
      if (id == null || !id.isTextual()) {
        throw OpenAiError.invalid("missing_required_parameter", where + ".tool_call_id",
            "a tool message needs 'tool_call_id'");
      }
      toolCallId = id.asText();
    }
    p.unsupported("name", "participant names are not passed to models");
    p.ignore("refusal");
    p.rejectUnknown();
    return new Message(role, text.toString(), images, calls, toolCallId);
  }

  private static void content(JsonNode c, String role, String where, StringBuilder text, List<ImageRef> images) {
    if (c == null) {
      if (!role.equals("assistant")) {
        throw OpenAiError.invalid("missing_required_parameter", where, "'content' is required for " + role);
      }
      return;
    }
    if (c.isTextual()) {
      text.append(c.asText());
      return;
    }
    if (!c.isArray()) {
      throw Params.invalidType(where, "a string or an array of content parts");
    }
    for (JsonNode part : c) {
      String type = part.path("type").asText("");
      switch (type) {
        case "text" -> text.append(part.path("text").asText(""));
        case "image_url" -> {
          if (!role.equals("user")) {
            throw OpenAiError.invalidValue(where, "image parts are only allowed in user messages");
          }
          JsonNode url = part.path("image_url");
          if (!url.path("url").isTextual()) {
            throw OpenAiError.invalid("missing_required_parameter", where, "an image part needs image_url.url");
          }
          try {
            images.add(new ImageRef(url.path("url").asText(), url.path("detail").asText(null)));
          } catch (NetException e) {
            throw OpenAiError.invalidValue(where, e.getMessage());
          }
        }
        default -> throw OpenAiError.unsupportedValue(where, "content parts of type '" + type
            + "' are not supported (text and image_url are)");
      }
    }
  }

  private static List<ToolCall> toolCalls(JsonNode list, String where) {
    if (list == null) {
      return List.of();
    }
    List<ToolCall> out = new ArrayList<>();
    for (JsonNode c : list) {
      if (!"function".equals(c.path("type").asText("function")) || !c.path("function").path("name").isTextual()) {
        throw OpenAiError.invalidValue(where + ".tool_calls", "tool calls must be functions with a name");
      }
      out.add(new ToolCall(out.size(), c.path("id").asText(""), c.path("function").path("name").asText(),
          c.path("function").path("arguments").asText("")));
    }
    return out;
  }

  /** OpenAI's {@code [{type: function, function: {name, description, parameters, strict}}]} as tool specs. */
  private static List<ToolSpec> tools(JsonNode tools) {
    if (tools == null) {
      return null;
    }
    if (!tools.isArray()) {
      throw Params.invalidType("tools", "an array");
    }
    List<ToolSpec> out = new ArrayList<>();
    for (JsonNode t : tools) {
      JsonNode fn = t.path("function");
      if (!"function".equals(t.path("type").asText()) || !fn.path("name").isTextual()) {
        throw OpenAiError.unsupportedValue("tools", "only tools of type 'function' with a name are supported");
      }
      if (fn.hasNonNull("parameters") && !fn.get("parameters").isObject()) {
        throw OpenAiError.invalidValue("tools", "a tool's parameters must be a JSON Schema object");
      }
      if (!fn.get("name").asText().matches("[A-Za-z0-9_-]{1,64}")) {
        throw OpenAiError.invalidValue("tools", "a tool name must be 1..64 letters, digits, '_' or '-'");
      }
      out.add(new ToolSpec(fn.get("name").asText(), fn.path("description").asText(""),
          fn.hasNonNull("parameters") ? fn.get("parameters") : null));
    }
    return out;
  }

  private static JsonNode toolChoice(JsonNode choice) {
    if (choice == null) {
      return null;
    }
    if (choice.isTextual() && List.of("none", "auto", "required").contains(choice.asText())) {
      return choice;
    }
    if (choice.isObject() && "function".equals(choice.path("type").asText())
        && choice.path("function").path("name").isTextual()) {
      return choice;
    }
    throw OpenAiError.invalidValue("tool_choice", "'tool_choice' must be none, auto, required or a named function");
  }

  /** {@code {type: text | json_object | json_schema, json_schema: {name, schema, strict}}}; null for text. */
  private static ResponseFormat responseFormat(JsonNode f) {
    if (f == null) {
      return null;
    }
    String type = f.path("type").asText("");
    return switch (type) {
      case "text" -> null;
      case "json_object" -> new ResponseFormat(type, null, null);
      case "json_schema" -> {
        JsonNode js = f.path("json_schema");
        if (!js.path("schema").isObject()) {
          throw OpenAiError.invalid("missing_required_parameter", "response_format.json_schema.schema",
              "a json_schema response format needs a schema object");
        }
        yield new ResponseFormat(type, js.path("name").asText("response"), js.get("schema"));
      }
      default -> throw OpenAiError.invalidValue("response_format.type", "response_format type must be text, "
          + "json_object or json_schema");
    };
  }
}
