package io.hyperinfer.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void shouldListMetersWithTagsWhenSnapshotIsTaken() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RpcMetrics metrics = new RpcMetrics(registry);
    metrics.server("login", "ok", Duration.ofMillis(3));
    metrics.client("login", "ERR_TIMEOUT", Duration.ofMillis(5));
    metrics.dropped("login");
    JsonNode meters = MetricsSnapshot.toJson(registry).get("meters");
    assertEquals(3, meters.size());
    assertEquals(RpcMetrics.DROPPED, meters.get(0).get("name").asText());
    assertEquals("counter", meters.get(0).get("type").asText());
    assertEquals("ERR_TIMEOUT", meters.get(1).get("tags").get("outcome").asText());
    assertEquals(1.0, meters.get(2).get("values").get("count").asDouble());
  }

  @Test
  void shouldPublishFixedLatencyBucketsWhenScrapedAsPrometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new RpcMetrics(registry).server("infer", "ok", Duration.ofMillis(40));
    new RpcMetrics(registry).facility("store", "bee.get", Duration.ofMillis(1));
    String text = registry.scrape();
    assertTrue(text.contains("hyperinfer_rpc_server_seconds_bucket{method=\"infer\",outcome=\"ok\",le=\"0.025\"} 0"),
        text);
    assertTrue(text.contains("hyperinfer_rpc_server_seconds_bucket{method=\"infer\",outcome=\"ok\",le=\"0.05\"} 1"),
        text);
    assertTrue(text.contains("hyperinfer_facility_ops_seconds_bucket{facility=\"store\",op=\"bee.get\",le=\"0.001\"} 1"),
        text);
    assertEquals(RpcMetrics.LATENCY_BUCKETS.length + 1,
        text.lines().filter(l -> l.startsWith("hyperinfer_rpc_server_seconds_bucket")).count());
  }
}
