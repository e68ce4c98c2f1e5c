package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.util.Set;

/**
 * OpenAI's {@code response_format}: plain text (the default), any JSON object, or JSON matching {@code schema}. JSON
 * {@code {type: text | json_object | json_schema, name?, schema?}}.
 */
public record ResponseFormat(String type, String name, JsonNode schema) {
  private static final Set<String> TYPES = Set.of("text", "json_object", "json_schema");
  public static final ResponseFormat TEXT = new ResponseFormat("text", null, null);

  public ResponseFormat {
    if (!TYPES.contains(type)) {
      throw NetException.badRequest("responseFormat type must be text, json_object or json_schema");
    }
    if ("json_schema".equals(type) && (schema == null || !schema.isObject())) {
      throw NetException.badRequest("a json_schema response format needs a schema object");
    }
  }

  public boolean isText() {
    return "text".equals(type);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object().put("type", type);
    if (name != null) {
      o.put("name", name);
    }
    if (schema != null) {
      o.set("schema", schema);
    }
    return o;
  }

  public static ResponseFormat fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "responseFormat");
    JsonNode schema = o.path("schema");
    return new ResponseFormat(Fields.text(o, "type", 16), Fields.optionalText(o, "name", 64),
        schema.isMissingNode() || schema.isNull() ? null : schema);
  }
}
