package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.net.NetException;
import java.util.ArrayList;
import java.util.List;

/**
 * The functions a model may call and OpenAI's {@code tool_choice} ("none", "auto", "required" or {@code {type:
 * function, function: {name}}}; null for the model's default). JSON: fields of the request, {@code tools?,
 * toolChoice?}.
 */
public record Tools(List<ToolSpec> specs, JsonNode choice) {
  public static final int MAX_TOOLS = 128;
  public static final int MAX_JSON_CHARS = 256_000;
  public static final Tools NONE = new Tools(List.of(), null);

  public Tools {
    specs = specs == null ? List.of() : List.copyOf(specs);
    if (specs.size() > MAX_TOOLS) {
      throw NetException.badRequest("at most " + MAX_TOOLS + " tools");
    }
    if (choice != null && !choice.isTextual() && !choice.isObject()) {
      throw NetException.badRequest("toolChoice must be a text or an object");
    }
    long size = choice == null ? 0 : choice.toString().length();
    for (ToolSpec t : specs) {
      size += t.toJson().toString().length();
    }
    if (size > MAX_JSON_CHARS) {
      throw NetException.badRequest("tools and toolChoice are larger than " + MAX_JSON_CHARS + " characters");
    }
  }

  public boolean isEmpty() {
    return specs.isEmpty();
  }

  void writeTo(ObjectNode o) {
    if (!specs.isEmpty()) {
      ArrayNode list = o.putArray("tools");
      specs.forEach(t -> list.add(t.toJson()));
    }
    if (choice != null) {
      o.set("toolChoice", choice);
    }
  }

  static Tools fromJson(JsonNode o) {
    List<ToolSpec> specs = new ArrayList<>();
    for (JsonNode t : Fields.array(o, "tools", MAX_TOOLS)) {
      specs.add(ToolSpec.fromJson(t));
    }
    JsonNode choice = o.path("toolChoice");
    return new Tools(specs, choice.isMissingNode() || choice.isNull() ? null : choice);
  }
}
