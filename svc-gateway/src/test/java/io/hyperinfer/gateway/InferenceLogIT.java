package io.hyperinfer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The gateway's one inference line per request and the inference meters, on a whole in-memory network. */
@Timeout(30)
class InferenceLogIT {
  private final Cluster cluster = new Cluster();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Logger logger = (Logger) LoggerFactory.getLogger(InferenceLog.LOGGER);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  private Level level;

  @BeforeEach
  void capture() {
    level = logger.getLevel();
    logger.setLevel(Level.INFO);
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void stop() {
    logger.detachAppender(lines);
    logger.setLevel(level);
    cluster.close();
  }

  private List<Map<String, Object>> fields() {
    synchronized (lines.list) {
      return lines.list.stream().map(e -> {
        Map<String, Object> m = new HashMap<>();
        e.getKeyValuePairs().forEach(kv -> m.put(kv.key, kv.value));
        m.put("message", e.getFormattedMessage());
        return m;
      }).toList();
    }
  }

  /** A gateway on this test's registry with Auth, a builtin processor and a client holding an API key. */
  private record Setup(GatewayWorker gateway, Cluster.Caller client, String key) {}

  private Setup setup(String gatewayConfig) {
    GatewayWorker g = cluster.gateway(gatewayConfig, registry);
    cluster.auth();
    cluster.processor("{}");
    Cluster.Caller client = cluster.client();
    return new Setup(g, client, client.account(g, Json.object()).get("apiKey").asText());
  }

  @Test
  void shouldWriteOneLineWithBreakdownAndCountTokensWhenServed() {
    Setup s = setup("{}");
    JsonNode end = s.client().stream(s.gateway(), Cluster.infer("apiKey", s.key(), "builtin-echo", "Hello there"))
        .end();

    List<Map<String, Object>> logged = fields();
    assertEquals(1, logged.size(), logged.toString());
    Map<String, Object> line = logged.get(0);
    assertEquals("builtin-echo", line.get("model"));
    assertEquals("ok", line.get("outcome"));
    assertEquals(end.path("processor").asText(), line.get("processor"));
    assertEquals(1, line.get("attempts"));
    assertEquals(end.path("usage").path("completionTokens").asLong(), line.get("completionTokens"));
    for (String phase : List.of("authMs", "queueMs", "routingMs", "processorMs", "engineTtftMs", "totalMs", "ttftMs")) {
      assertTrue(((Double) line.get(phase)) >= 0, phase + " in " + line);
    }
    assertTrue(((Double) line.get("ttftMs")) <= (Double) line.get("totalMs"));
    assertTrue(((String) line.get("message")).startsWith("infer builtin-echo ok key "), line.toString());
    assertTrue(!((String) line.get("message")).contains(s.key().substring(20)), "the key's secret never appears");

    assertEquals(end.path("usage").path("completionTokens").asDouble(), registry.get(InferenceLog.TOKENS)
        .tags("model", "builtin-echo", "kind", "completion").counter().count());
    assertEquals(end.path("usage").path("promptTokens").asDouble(), registry.get(InferenceLog.TOKENS)
        .tags("model", "builtin-echo", "kind", "prompt").counter().count());
    assertEquals(1, registry.get(InferenceLog.TTFT).tags("model", "builtin-echo").timer().count());
    assertEquals(1.0, registry.get(InferenceLog.REQUESTS).tags("model", "builtin-echo", "outcome", "ok").counter()
        .count());
  }

  @Test
  void shouldLogRefusalsAndCountRateLimitsWhenRequestsFail() {
    Setup s = setup("{\"gateway\":{\"limits\":{\"requestsPerMinute\":1}}}");
    s.client().stream(s.gateway(), Cluster.infer("apiKey", s.key(), "builtin-echo", "1")).end();
    NetException limited = assertThrows(NetException.class,
        () -> s.client().stream(s.gateway(), Cluster.infer("apiKey", s.key(), "builtin-echo", "2")).end());
    assertEquals("ERR_RATE_LIMITED", limited.code());
    NetException unauthorized = assertThrows(NetException.class, () -> s.client().stream(s.gateway(),
        Json.object().put("model", "made-up-model").put("prompt", "x")).end());
    assertEquals("ERR_UNAUTHORIZED", unauthorized.code());

    List<Map<String, Object>> logged = fields();
    assertEquals(List.of("ok", "ERR_RATE_LIMITED", "ERR_UNAUTHORIZED"),
        logged.stream().map(l -> l.get("outcome")).toList());
    assertTrue(logged.get(1).containsKey("authMs") && !logged.get(1).containsKey("processorMs"), logged.toString());
    assertEquals(1.0, registry.get(InferenceLog.RATE_LIMITED).tags("limit", "requestsPerMinute").counter().count());
    assertEquals(1.0, registry.get(InferenceLog.REQUESTS).tags("model", "builtin-echo", "outcome", "ERR_RATE_LIMITED")
        .counter().count());
    assertEquals(1.0, registry.get(InferenceLog.REQUESTS).tags("model", "none", "outcome", "ERR_UNAUTHORIZED")
        .counter().count());
  }
}
