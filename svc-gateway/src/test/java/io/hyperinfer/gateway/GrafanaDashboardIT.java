package io.hyperinfer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.infer.Timings;
import io.hyperinfer.contract.infer.Usage;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.metrics.RpcMetrics;
import io.hyperinfer.worker.net.StreamSink;
import io.hyperinfer.worker.ops.Health;
import io.hyperinfer.worker.ops.OpsEndpoint;
import io.hyperinfer.worker.ops.OpsSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** docs/grafana/hyperinfer.json asks only for series a gateway's ops endpoint serves. */
@Timeout(60)
class GrafanaDashboardIT {
  private static final Pattern SERIES = Pattern.compile("\\b(?:hyperinfer|jvm|process)_[a-z_]+");

  private static JsonNode dashboard() throws Exception {
    Path root = Path.of(System.getProperty("hyperinfer.root", ".."));
    return Json.parse(Files.readAllBytes(root.resolve("docs/grafana/hyperinfer.json")));
  }

  @Test
  void shouldQueryOnlySeriesTheOpsEndpointServesWhenAGatewayHasWorked() throws Exception {
    JsonNode dash = dashboard();
    Set<String> wanted = new TreeSet<>();
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dash.get("panels")) {
      assertTrue(ids.add(panel.get("id").asInt()), "panel ids are unique");
      JsonNode pos = panel.get("gridPos");
      assertTrue(pos.get("x").asInt() + pos.get("w").asInt() <= 24, panel.get("title").asText());
      for (JsonNode target : panel.path("targets")) {
        Matcher m = SERIES.matcher(target.get("expr").asText());
        while (m.find()) {
          wanted.add(m.group());
        }
      }
    }
    assertTrue(wanted.size() > 15, wanted.toString());

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RpcMetrics rpc = new RpcMetrics(registry);
    rpc.server("infer", "ok", Duration.ofMillis(5));
    rpc.client("validateApiKey", "ok", Duration.ofMillis(2));
    rpc.facility("store", "bee.get", Duration.ofMillis(1));
    rpc.dropped("stream.chunk");
    InferenceLog inferences = new InferenceLog(registry);
    InferenceLog.Entry served = inferences.begin(new Discard());
    served.caller("builtin-echo", "k1");
    served.sink().next(Json.object().put("text", "hi"));
    served.served("ab12", 1, new Usage(3, 4), Timings.processor(0, 1, 2).withGateway(1, 1, 1, 3, 6));
    InferenceLog.Entry limited = inferences.begin(new Discard());
    limited.rateLimited(GatewayException.rateLimited("requestsPerMinute", 100));
    limited.failed(new io.hyperinfer.worker.net.NetException("ERR_RATE_LIMITED", "slow down"));

    Config config = ConfigLoader.withOverrides(Config.empty(), List.of("facs.ops.port=0"));
    try (OpsEndpoint endpoint = OpsEndpoint.start(OpsSettings.fromConfig(config).orElseThrow(), registry,
        () -> new Health(true, Json.object()), "ops-dashboard");
        HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
          .build();
      Set<String> missing = new TreeSet<>();
      // GC pauses appear once a collection was reported: ask for one until it was.
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
        System.gc();
        String text = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
        missing.clear();
        for (String series : wanted) {
          if (!text.contains("\n" + series + "{") && !text.contains("\n" + series + " ")) {
            missing.add(series);
          }
        }
        return missing.isEmpty();
      });
      assertEquals(Set.of(), missing);
    }
  }

  /** A client stream that drops what it is sent. */
  private static final class Discard implements StreamSink {
    @Override
    public boolean next(JsonNode chunk) {
      return true;
    }

    @Override
    public void end(JsonNode last) {}

    @Override
    public void error(io.hyperinfer.worker.net.NetException error) {}

    @Override
    public boolean isCancelled() {
      return false;
    }
  }
}
