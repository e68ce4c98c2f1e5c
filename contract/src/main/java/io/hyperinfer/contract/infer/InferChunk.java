package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;

/**
 * One piece of a streamed answer, in order (the stream's sequence numbers order them). Processor to gateway to client
 * unchanged. JSON {@code {text}}.
 */
public record InferChunk(String text) {
  /** Longest piece accepted; an engine's pieces are a few characters. */
  public static final int MAX_TEXT = 65_536;

  public InferChunk {
    if (text == null || text.length() > MAX_TEXT) {
      throw NetException.badRequest("a chunk holds text of at most " + MAX_TEXT + " characters");
    }
  }

  public ObjectNode toJson() {
    return Json.object().put("text", text);
  }

  public static InferChunk fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "a chunk");
    String text = Fields.optionalText(o, "text", MAX_TEXT);
    return new InferChunk(text == null ? "" : text);
  }
}
