package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.net.NetException;
import java.util.ArrayList;
import java.util.List;

/**
 * How to sample: temperature (always set), and optional nucleus mass, seed, presence and frequency penalties and stop
 * sequences (null or empty when the caller did not ask). A value equal to the neutral default (top_p 1, penalty 0)
 * asks for nothing ({@link #asksTopP}, {@link #asksPenalties}). JSON: fields of the request, {@code temperature, topP?,
 * seed?, presencePenalty?, frequencyPenalty?, stop?}.
 */
public record Sampling(double temperature, Double topP, Long seed, Double presencePenalty, Double frequencyPenalty,
    List<String> stop) {
  public static final double DEFAULT_TEMPERATURE = 0.7;
  public static final int MAX_STOP = 4;
  public static final Sampling DEFAULT = temperature(DEFAULT_TEMPERATURE);

  public Sampling {
    if (!(temperature >= 0 && temperature <= 2)) {
      throw NetException.badRequest("temperature must be 0..2");
    }
    if (topP != null && !(topP > 0 && topP <= 1)) {
      throw NetException.badRequest("topP must be > 0 and <= 1");
    }
    checkPenalty("presencePenalty", presencePenalty);
    checkPenalty("frequencyPenalty", frequencyPenalty);
    stop = stop == null ? List.of() : List.copyOf(stop);
    if (stop.size() > MAX_STOP || stop.stream().anyMatch(s -> s.isEmpty() || s.length() > 200)) {
      throw NetException.badRequest("stop holds at most " + MAX_STOP + " non-empty sequences of <= 200 chars");
    }
  }

  public static Sampling temperature(double t) {
    return new Sampling(t, null, null, null, null, List.of());
  }

  private static void checkPenalty(String name, Double v) {
    if (v != null && !(v >= -2 && v <= 2)) {
      throw NetException.badRequest(name + " must be -2..2");
    }
  }

  public boolean asksTopP() {
    return topP != null && topP < 1;
  }

  public boolean asksPenalties() {
    return (presencePenalty != null && presencePenalty != 0) || (frequencyPenalty != null && frequencyPenalty != 0);
  }

  /** Where {@code text} should be cut by a stop sequence (the earliest match), or -1. */
  public int stopIndex(String text) {
    int best = -1;
    for (String s : stop) {
      int i = text.indexOf(s);
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
      }
    }
    return best;
  }

  void writeTo(ObjectNode o) {
    o.put("temperature", temperature);
    if (topP != null) {
      o.put("topP", topP);
    }
    if (seed != null) {
      o.put("seed", seed);
    }
    if (presencePenalty != null) {
      o.put("presencePenalty", presencePenalty);
    }
    if (frequencyPenalty != null) {
      o.put("frequencyPenalty", frequencyPenalty);
    }
    if (!stop.isEmpty()) {
      ArrayNode list = o.putArray("stop");
      stop.forEach(list::add);
    }
  }

  static Sampling fromJson(JsonNode o) {
    List<String> stop = new ArrayList<>();
    for (JsonNode s : Fields.array(o, "stop", MAX_STOP)) {
      Fields.check(s.isTextual(), "stop holds texts");
      stop.add(s.asText());
    }
    return new Sampling(Fields.number(o, "temperature", DEFAULT_TEMPERATURE), optional(o, "topP"),
        o.hasNonNull("seed") ? Fields.integer(o, "seed", 0) : null, optional(o, "presencePenalty"),
        optional(o, "frequencyPenalty"), stop);
  }

  private static Double optional(JsonNode o, String field) {
    return o.hasNonNull(field) ? Fields.number(o, field, 0) : null;
  }
}
