package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import java.util.List;

/**
 * A processor's answer to {@code status}, what gateways route by: its engine, health, generations running and queued,
 * its limits and its models. JSON {@code {engine, healthy, inFlight, queued, concurrency, queueLimit, models}}.
 */
public record ProcessorStatus(String engine, boolean healthy, int inFlight, int queued, int concurrency,
    int queueLimit, List<ServedModel> models) {
  public ProcessorStatus {
    Fields.check(engine != null && !engine.isBlank(), "status names its engine");
    Fields.check(inFlight >= 0 && queued >= 0 && concurrency >= 0 && queueLimit >= 0, "status counts are >= 0");
    models = List.copyOf(models);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object().put("engine", engine).put("healthy", healthy).put("inFlight", inFlight)
        .put("queued", queued).put("concurrency", concurrency).put("queueLimit", queueLimit);
    new ServedModels(models).writeTo(o.putArray("models"));
    return o;
  }

  public static ProcessorStatus fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "status");
    return new ProcessorStatus(Fields.text(o, "engine", 64), Fields.bool(o, "healthy", true),
        count(o, "inFlight"), count(o, "queued"), count(o, "concurrency"), count(o, "queueLimit"),
        ServedModels.read(o));
  }

  private static int count(JsonNode o, String field) {
    long n = Fields.integer(o, field, 0);
    Fields.check(n >= 0 && n <= Integer.MAX_VALUE, field + " must be a count");
    return (int) n;
  }
}
