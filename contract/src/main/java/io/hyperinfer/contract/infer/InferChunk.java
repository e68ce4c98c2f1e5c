package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;

/**
 * One piece of a streamed answer, in order (the stream's sequence numbers order them): text, or a piece of a tool call
 * ({@link ToolCall}: the first piece of a call has its id and name, later ones append arguments). Processor to gateway
 * to client unchanged. JSON {@code {text}} or {@code {toolCall: {index, id?, name?, arguments}}}.
 */
public record InferChunk(String text, ToolCall toolCall) {
  /** Longest piece accepted; an engine's pieces are a few characters. */
  public static final int MAX_TEXT = 65_536;

  public InferChunk {
    if ((text == null) == (toolCall == null)) {
      throw NetException.badRequest("a chunk holds text or a tool call");
    }
    if (text != null && text.length() > MAX_TEXT) {
      throw NetException.badRequest("a chunk holds text of at most " + MAX_TEXT + " characters");
    }
  }

  public InferChunk(String text) {
    this(text, null);
  }

  public static InferChunk of(ToolCall piece) {
    return new InferChunk(null, piece);
  }

  public ObjectNode toJson() {
    if (toolCall != null) {
      ObjectNode o = Json.object();
      o.set("toolCall", toolCall.toJson());
      return o;
    }
    return Json.object().put("text", text);
  }

  public static InferChunk fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "a chunk");
    JsonNode call = o.path("toolCall");
    if (!call.isMissingNode() && !call.isNull()) {
      return of(ToolCall.fromJson(call, 0));
    }
    String text = Fields.optionalText(o, "text", MAX_TEXT);
    return new InferChunk(text == null ? "" : text);
  }
}
