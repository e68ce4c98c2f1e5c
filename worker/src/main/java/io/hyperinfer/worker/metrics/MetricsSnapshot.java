package io.hyperinfer.worker.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.Comparator;

/**
 * Renders a registry as JSON for the built-in {@code metrics} RPC method. The histogram buckets a registry without
 * native histograms adds as gauges of their own ({@code <name>.histogram}) are left out: the timer's count, total and
 * max say what a peer asking needs.
 */
public final class MetricsSnapshot {
  private MetricsSnapshot() {}

  /** {@code {meters: [{name, type, tags: {..}, values: {count: .., total: ..}}]}}, sorted by name then tags. */
  public static ObjectNode toJson(MeterRegistry registry) {
    ArrayNode meters = Json.MAPPER.createArrayNode();
    registry.getMeters().stream()
        .filter(m -> !m.getId().getName().endsWith(".histogram"))
        .sorted(Comparator.comparing((Meter m) -> m.getId().getName()).thenComparing(m -> m.getId().getTags().toString()))
        .forEach(m -> {
          ObjectNode o = meters.addObject();
          o.put("name", m.getId().getName());
          o.put("type", m.getId().getType().name().toLowerCase(java.util.Locale.ROOT));
          ObjectNode tags = o.putObject("tags");
          for (Tag t : m.getId().getTags()) {
            tags.put(t.getKey(), t.getValue());
          }
          ObjectNode values = o.putObject("values");
          for (Measurement v : m.measure()) {
            values.put(v.getStatistic().getTagValueRepresentation(), v.getValue());
          }
        });
    ObjectNode root = Json.object();
    root.set("meters", meters);
    return root;
  }
}
