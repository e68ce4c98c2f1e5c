package io.hyperinfer.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.ConfigLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private static Config config(String... overrides) {
    return ConfigLoader.withOverrides(Config.empty(), List.of(overrides));
  }

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
  void shouldNotCreateEndpointWhenPrometheusIsNotEnabled() {
    assertTrue(PrometheusEndpoint.fromConfig(Config.empty(), new SimpleMeterRegistry()).isEmpty());
  }

  @Test
  void shouldRejectEndpointConfigWhenPortOrRegistryIsWrong() {
    assertEquals("metrics.prometheus.port", assertThrows(ConfigException.class, () -> PrometheusEndpoint.fromConfig(
        config("metrics.prometheus.enabled=true", "metrics.prometheus.port=70000"), new SimpleMeterRegistry()))
        .path());
    assertEquals("metrics.prometheus.enabled", assertThrows(ConfigException.class, () -> PrometheusEndpoint
        .fromConfig(config("metrics.prometheus.enabled=true"), new SimpleMeterRegistry())).path());
  }

  @Test
  void shouldServePrometheusTextOnLoopbackWhenEnabled() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new RpcMetrics(registry).server("login", "ok", Duration.ofMillis(2));
    PrometheusEndpoint endpoint = PrometheusEndpoint.fromConfig(config("metrics.prometheus.enabled=true"), registry)
        .orElseThrow();
    endpoint.start(null);
    try (HttpClient http = HttpClient.newHttpClient()) {
      URI uri = URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics");
      HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode());
      assertTrue(ok.body().contains("hyperinfer_rpc_server_seconds_count{method=\"login\",outcome=\"ok\"} 1"),
          ok.body());
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());
    } finally {
      endpoint.stop();
      endpoint.stop();
    }
    assertEquals("prometheus", endpoint.name());
    assertFalse(endpoint.priority() < 0);
  }
}
