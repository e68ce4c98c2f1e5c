package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import java.util.ArrayList;
import java.util.List;

/** A processor's answer to {@code models}: what it serves. JSON {@code {models: [{id, engine}]}}. */
public record ServedModels(List<ServedModel> models) {
  /** Most models one processor may list. */
  public static final int MAX_MODELS = 1024;

  public ServedModels {
    models = List.copyOf(models);
    Fields.check(models.size() <= MAX_MODELS, "a processor lists at most " + MAX_MODELS + " models");
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    writeTo(o.putArray("models"));
    return o;
  }

  void writeTo(ArrayNode list) {
    models.forEach(m -> list.add(m.toJson()));
  }

  public static ServedModels fromJson(JsonNode json) {
    return new ServedModels(read(Fields.object(json, "models")));
  }

  static List<ServedModel> read(JsonNode o) {
    List<ServedModel> out = new ArrayList<>();
    for (JsonNode m : Fields.array(o, "models", MAX_MODELS)) {
      out.add(ServedModel.fromJson(m));
    }
    return out;
  }
}
