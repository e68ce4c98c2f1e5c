package io.hyperinfer.worker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.metrics.RpcMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OpsEndpointIT {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean ready = new AtomicBoolean(true);
  private OpsEndpoint endpoint;

  @AfterEach
  void close() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private static OpsSettings settings(String... overrides) {
    return OpsSettings.fromConfig(ConfigLoader.withOverrides(Config.empty(), List.of(overrides))).orElseThrow();
  }

  private OpsEndpoint start(OpsSettings settings) {
    endpoint = OpsEndpoint.start(settings, registry, () -> new Health(ready.get(),
        Json.object().put("state", ready.get() ? "READY" : "STARTING")), "ops-test");
    return endpoint;
  }

  /** Sends {@code request} as it is and reads the whole answer (the server closes after one). */
  private String exchange(String request) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private String get(String path) throws IOException {
    return exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  }

  @Test
  void shouldServePrometheusTextWithHistogramBucketsWhenMetricsAreScraped() throws Exception {
    new RpcMetrics(registry).server("login", "ok", Duration.ofMillis(3));
    start(settings("facs.ops.port=0"));
    String answer = get("/metrics");
    assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
    assertTrue(answer.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8"), answer);
    assertTrue(answer.contains("hyperinfer_rpc_server_seconds_count{method=\"login\",outcome=\"ok\"} 1"), answer);
    assertTrue(answer.contains("hyperinfer_rpc_server_seconds_bucket{method=\"login\",outcome=\"ok\",le=\"0.005\"} 1"),
        answer);
    assertTrue(answer.contains("jvm_memory_used_bytes"), answer);
    assertTrue(answer.contains("process_uptime_seconds"), answer);
  }

  @Test
  void shouldAnswerHealthWith200OnlyWhenReady() throws Exception {
    start(settings("facs.ops.port=0"));
    String up = get("/healthz");
    assertTrue(up.startsWith("HTTP/1.1 200 OK"), up);
    assertTrue(up.endsWith("{\"state\":\"READY\"}"), up);
    ready.set(false);
    String starting = get("/healthz?verbose=1");
    assertTrue(starting.startsWith("HTTP/1.1 503 Service Unavailable"), starting);
    assertTrue(starting.contains("Content-Type: application/json"), starting);
    assertTrue(starting.endsWith("{\"state\":\"STARTING\"}"), starting);
  }

  @Test
  void shouldAnswer404Or405Or400WhenRequestIsNotServed() throws Exception {
    start(settings("facs.ops.port=0"));
    assertTrue(get("/").startsWith("HTTP/1.1 404 "));
    assertTrue(get("/metrics/extra").startsWith("HTTP/1.1 404 "));
    String post = exchange("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    assertTrue(post.startsWith("HTTP/1.1 405 ") && post.contains("Allow: GET, HEAD"), post);
    assertTrue(exchange("GET /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello").startsWith("HTTP/1.1 400 "));
    assertTrue(exchange("GET /metrics HTTP/9.9\r\n\r\n").startsWith("HTTP/1.1 400 "));
    String head = exchange("HEAD /healthz HTTP/1.1\r\n\r\n");
    assertTrue(head.startsWith("HTTP/1.1 200 ") && head.endsWith("\r\n\r\n"), head);
  }

  @Test
  void shouldAnswer431WhenHeadIsLargerThanTheCap() throws Exception {
    start(settings("facs.ops.port=0", "facs.ops.maxHeadBytes=512"));
    String answer = exchange("GET /metrics HTTP/1.1\r\nX-Filler: " + "a".repeat(600) + "\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
  }

  @Test
  void shouldAnswer408WhenClientIsTooSlowToSendItsHead() throws Exception {
    start(settings("facs.ops.port=0", "facs.ops.readTimeout=300ms"));
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET /metr".getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.activeConnections() == 0);
  }

  @Test
  void shouldRefuseConnectionsBeyondTheCapWhenAllSlotsAreTaken() throws Exception {
    start(settings("facs.ops.port=0", "facs.ops.maxConnections=2", "facs.ops.readTimeout=20s"));
    try (Socket first = new Socket(InetAddress.getLoopbackAddress(), endpoint.port());
        Socket second = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.activeConnections() == 2);
      try (Socket third = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
        third.setSoTimeout(10_000);
        String answer = new String(third.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(answer.startsWith("HTTP/1.1 503 ") && answer.endsWith("busy\n"), answer);
      }
      first.getOutputStream().write("GET /healthz HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      first.setSoTimeout(10_000);
      InputStream in = first.getInputStream();
      assertTrue(new String(in.readAllBytes(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200 "));
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.activeConnections() == 0);
    assertTrue(get("/healthz").startsWith("HTTP/1.1 200 "));
  }

  @Test
  void shouldNamePortAndKeyWhenPortIsInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      WorkerException e = assertThrows(WorkerException.class, () -> start(settings("facs.ops.port=" + port)));
      assertEquals(WorkerException.Code.PORT_UNAVAILABLE, e.code());
      assertEquals("port " + port + " on 127.0.0.1 (config key facs.ops.port) is already in use: stop the program"
          + " using it or choose another port", e.getMessage());
      assertSame(e, WorkerException.expected(e).orElseThrow());
    }
  }

  @Test
  void shouldSayWhyWhenPortCannotBeBoundForAnotherReason() {
    WorkerException e = OpsServer.unavailable(80, new java.net.BindException("Permission denied"));
    assertEquals("cannot listen on port 80 on 127.0.0.1 (config key facs.ops.port) (Permission denied): choose"
        + " another port from 1024 to 65535, or 0 for any free one", e.getMessage());
  }

  @Test
  void shouldFindPrometheusInsideCompositeAndRefuseOtherRegistries() throws Exception {
    CompositeMeterRegistry composite = new CompositeMeterRegistry();
    composite.add(new SimpleMeterRegistry());
    composite.add(registry);
    endpoint = OpsEndpoint.start(settings("facs.ops.port=0"), composite, () -> new Health(true, Json.object()),
        "ops-test");
    assertTrue(get("/metrics").contains("jvm_threads_live_threads"));
    ConfigException e = assertThrows(ConfigException.class, () -> OpsEndpoint.start(settings("facs.ops.port=0"),
        new SimpleMeterRegistry(), () -> null, "x"));
    assertEquals("facs.ops.port", e.path());
  }
}
