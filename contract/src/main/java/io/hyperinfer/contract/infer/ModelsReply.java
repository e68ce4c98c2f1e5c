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
 * A gateway's answer to {@code models}: each model served now, by how many processors, the features any of them offers
 * and the earliest creation time any reports. JSON {@code {models: [{id, processors, features, created}]}}, sorted by
 * id.
 */
public record ModelsReply(List<Model> models) {
  /** One model, how many processors serve it, what they can do, when it was created (Unix seconds, 0 unknown). */
  public record Model(String id, int processors, List<String> features, long created) {
    public Model {
      if (id == null || id.isBlank() || processors < 1 || created < 0) {
        throw NetException.badRequest("a listed model has an id and at least one processor");
      }
      features = features == null ? List.of() : List.copyOf(features);
    }

    public Model(String id, int processors) {
      this(id, processors, List.of(), 0);
    }
  }

  public ModelsReply {
    models = List.copyOf(models);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    ArrayNode list = o.putArray("models");
    models.forEach(m -> ServedModel.writeFeatures(list.addObject().put("id", m.id()).put("processors", m.processors()),
        m.features(), m.created()));
    return o;
  }

  public static ModelsReply fromJson(JsonNode json) {
    List<Model> out = new ArrayList<>();
    for (JsonNode m : Fields.array(Fields.object(json, "models"), "models", 65_536)) {
      JsonNode o = Fields.object(m, "a model");
      long n = Fields.integer(o, "processors", 0);
      Fields.check(n >= 1 && n <= Integer.MAX_VALUE, "processors must be a positive count");
      out.add(new Model(Fields.text(o, "id", InferRequest.MAX_MODEL_LENGTH), (int) n, ServedModel.readFeatures(o),
          Fields.integer(o, "created", 0)));
    }
    return new ModelsReply(out);
  }
}
