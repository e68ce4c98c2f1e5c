package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;

/**
 * A function call by the model: whole (in a conversation's history, in an answer) or a streamed piece, where the first
 * piece of a call carries its id and name and later pieces append to its arguments (a JSON text). {@code index} orders
 * the calls of one answer. JSON {@code {index, id?, name?, arguments}}.
 */
public record ToolCall(int index, String id, String name, String arguments) {
  public static final int MAX_INDEX = 127;
  public static final int MAX_ARGUMENTS = 65_536;

  public ToolCall {
    if (index < 0 || index > MAX_INDEX) {
      throw NetException.badRequest("a tool call index is 0.." + MAX_INDEX);
    }
    arguments = arguments == null ? "" : arguments;
    if (arguments.length() > MAX_ARGUMENTS) {
      throw NetException.badRequest("tool call arguments are longer than " + MAX_ARGUMENTS + " characters");
    }
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object().put("index", index);
    if (id != null) {
      o.put("id", id);
    }
    if (name != null) {
      o.put("name", name);
    }
    return o.put("arguments", arguments);
  }

  public static ToolCall fromJson(JsonNode json, int defaultIndex) {
    JsonNode o = Fields.object(json, "a tool call");
    long index = Fields.integer(o, "index", defaultIndex);
    Fields.check(index >= 0 && index <= MAX_INDEX, "a tool call index is 0.." + MAX_INDEX);
    return new ToolCall((int) index, Fields.optionalText(o, "id", 256), Fields.optionalText(o, "name", 64),
        Fields.optionalText(o, "arguments", MAX_ARGUMENTS));
  }
}
