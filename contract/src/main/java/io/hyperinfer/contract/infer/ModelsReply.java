package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.util.ArrayList;
import java.util.List;

/** A gateway's answer to {@code models}: each model served now and by how many processors. JSON {@code {models: [{id,
 * processors}]}}, sorted by id. */
public record ModelsReply(List<Model> models) {
  /** One model and how many processors serve it. */
  public record Model(String id, int processors) {
    public Model {
      if (id == null || id.isBlank() || processors < 1) {
        throw NetException.badRequest("a listed model has an id and at least one processor");
      }
    }
  }

  public ModelsReply {
    models = List.copyOf(models);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    ArrayNode list = o.putArray("models");
    models.forEach(m -> list.addObject().put("id", m.id()).put("processors", m.processors()));
    return o;
  }

  public static ModelsReply fromJson(JsonNode json) {
    List<Model> out = new ArrayList<>();
    for (JsonNode m : Fields.array(Fields.object(json, "models"), "models", 65_536)) {
      JsonNode o = Fields.object(m, "a model");
      long n = Fields.integer(o, "processors", 0);
      Fields.check(n >= 1 && n <= Integer.MAX_VALUE, "processors must be a positive count");
      out.add(new Model(Fields.text(o, "id", InferRequest.MAX_MODEL_LENGTH), (int) n));
    }
    return new ModelsReply(out);
  }
}
