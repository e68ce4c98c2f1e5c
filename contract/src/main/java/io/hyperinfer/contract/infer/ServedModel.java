package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.util.ArrayList;
import java.util.List;

/**
 * A model one processor serves: its engine kind, what it can do ({@code features}: chat, completions, embeddings,
 * stop, seed, top_p, penalties, tools, json_object, json_schema, vision) and when it was created (Unix seconds, 0 when
 * unknown). JSON {@code {id, engine, features?, created?}}.
 */
public record ServedModel(String id, String engine, List<String> features, long created) {
  public static final int MAX_FEATURES = 32;

  public ServedModel {
    if (id == null || id.isBlank() || id.length() > InferRequest.MAX_MODEL_LENGTH) {
      throw NetException.badRequest("a model has an id of 1.." + InferRequest.MAX_MODEL_LENGTH + " characters");
    }
    if (engine == null || engine.isBlank() || engine.length() > 64) {
      throw NetException.badRequest("a model names its engine");
    }
    features = features == null ? List.of() : List.copyOf(features);
    if (features.size() > MAX_FEATURES || created < 0) {
      throw NetException.badRequest("a model lists at most " + MAX_FEATURES + " features and a non-negative date");
    }
  }

  public ServedModel(String id, String engine) {
    this(id, engine, List.of(), 0);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object().put("id", id).put("engine", engine);
    writeFeatures(o, features, created);
    return o;
  }

  public static ServedModel fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "a model");
    return new ServedModel(Fields.text(o, "id", InferRequest.MAX_MODEL_LENGTH), Fields.text(o, "engine", 64),
        readFeatures(o), Fields.integer(o, "created", 0));
  }

  static void writeFeatures(ObjectNode o, List<String> features, long created) {
    ArrayNode list = o.putArray("features");
    features.forEach(list::add);
    o.put("created", created);
  }

  static List<String> readFeatures(JsonNode o) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : Fields.array(o, "features", MAX_FEATURES)) {
      Fields.check(f.isTextual() && f.asText().length() <= 32, "features are short texts");
      out.add(f.asText());
    }
    return out;
  }
}
