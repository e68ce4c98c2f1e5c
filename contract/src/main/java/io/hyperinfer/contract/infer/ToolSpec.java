package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;

/**
 * A function the model may call: its name, a description and the JSON Schema of its arguments (null for none). JSON
 * {@code {name, description?, parameters?}}.
 */
public record ToolSpec(String name, String description, JsonNode parameters) {
  public ToolSpec {
    if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw NetException.badRequest("a tool name must be 1..64 letters, digits, '_' or '-'");
    }
    description = description == null ? "" : description;
    if (parameters != null && !parameters.isObject()) {
      throw NetException.badRequest("a tool's parameters must be a JSON Schema object");
    }
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object().put("name", name).put("description", description);
    if (parameters != null) {
      o.set("parameters", parameters);
    }
    return o;
  }

  public static ToolSpec fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "a tool");
    JsonNode parameters = o.path("parameters");
    return new ToolSpec(Fields.text(o, "name", 64), Fields.optionalText(o, "description", Fields.MAX_TEXT),
        parameters.isMissingNode() || parameters.isNull() ? null : parameters);
  }
}
