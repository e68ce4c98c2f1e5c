package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;

/** Tokens one answer cost. JSON {@code {promptTokens, completionTokens, totalTokens}} (the total is derived). */
public record Usage(long promptTokens, long completionTokens) {
  public Usage {
    if (promptTokens < 0 || completionTokens < 0) {
      throw NetException.badRequest("token counts must not be negative");
    }
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  public ObjectNode toJson() {
    return Json.object().put("promptTokens", promptTokens).put("completionTokens", completionTokens)
        .put("totalTokens", totalTokens());
  }

  public static Usage fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "usage");
    return new Usage(Fields.integer(o, "promptTokens", 0), Fields.integer(o, "completionTokens", 0));
  }
}
