package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;

/** A model one processor serves and its engine kind. JSON {@code {id, engine}}. */
public record ServedModel(String id, String engine) {
  public ServedModel {
    if (id == null || id.isBlank() || id.length() > InferRequest.MAX_MODEL_LENGTH) {
      throw NetException.badRequest("a model has an id of 1.." + InferRequest.MAX_MODEL_LENGTH + " characters");
    }
    if (engine == null || engine.isBlank() || engine.length() > 64) {
      throw NetException.badRequest("a model names its engine");
    }
  }

  public ObjectNode toJson() {
    return Json.object().put("id", id).put("engine", engine);
  }

  public static ServedModel fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "a model");
    return new ServedModel(Fields.text(o, "id", InferRequest.MAX_MODEL_LENGTH), Fields.text(o, "engine", 64));
  }
}
