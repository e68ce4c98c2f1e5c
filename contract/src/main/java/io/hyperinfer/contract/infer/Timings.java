package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;

/**
 * Where one request's time went, in milliseconds. Each hop fills in what it measured and keeps the rest: the processor
 * sets {@code slotWaitMs} (waiting for a generation slot), {@code engineTtftMs} (engine call to first token; -1 when no
 * token came) and {@code engineMs}; the gateway adds {@code authMs}, {@code queueMs} (admission), {@code routingMs},
 * {@code processorMs} and {@code totalMs}. {@link #NOT_MEASURED} (NaN) marks a field no hop set yet and is left out of
 * the JSON, whose fields come in the order authMs, queueMs, routingMs, processorMs, engineTtftMs, totalMs, slotWaitMs,
 * engineMs.
 */
public record Timings(double authMs, double queueMs, double routingMs, double processorMs, double engineTtftMs,
    double totalMs, double slotWaitMs, double engineMs) {
  public static final double NOT_MEASURED = Double.NaN;
  private static final String[] NAMES = {"authMs", "queueMs", "routingMs", "processorMs", "engineTtftMs", "totalMs",
      "slotWaitMs", "engineMs"};

  /** What a processor measured. */
  public static Timings processor(double slotWaitMs, double engineTtftMs, double engineMs) {
    return new Timings(NOT_MEASURED, NOT_MEASURED, NOT_MEASURED, NOT_MEASURED, engineTtftMs, NOT_MEASURED,
        slotWaitMs, engineMs);
  }

  /** These timings extended by the gateway's own phases. */
  public Timings withGateway(double auth, double queue, double routing, double processor, double total) {
    return new Timings(auth, queue, routing, processor, engineTtftMs, total, slotWaitMs, engineMs);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    double[] values = values();
    for (int i = 0; i < NAMES.length; i++) {
      if (!Double.isNaN(values[i])) {
        o.put(NAMES[i], Math.round(values[i] * 1000) / 1000.0);
      }
    }
    return o;
  }

  public static Timings fromJson(JsonNode json) {
    JsonNode o = json == null || json.isMissingNode() || json.isNull() ? Json.object() : Fields.object(json, "timings");
    double[] v = new double[NAMES.length];
    for (int i = 0; i < NAMES.length; i++) {
      v[i] = Fields.number(o, NAMES[i], NOT_MEASURED);
    }
    return new Timings(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
  }

  private double[] values() {
    return new double[] {authMs, queueMs, routingMs, processorMs, engineTtftMs, totalMs, slotWaitMs, engineMs};
  }
}
