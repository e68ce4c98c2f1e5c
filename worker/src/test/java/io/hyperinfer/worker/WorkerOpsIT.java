package io.hyperinfer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.net.spi.LoopbackNetwork;
import io.hyperinfer.worker.store.MemoryStoreFacility;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A worker's ops endpoint through its lifecycle: starting, ready, stopping, failed. */
@Timeout(30)
class WorkerOpsIT {
  private final LoopbackNetwork network = new LoopbackNetwork();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    http.close();
  }

  private static Config config(String... overrides) {
    return ConfigLoader.withOverrides(Config.empty(), List.of(overrides));
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldReport503WhileStartingAnd200WithFacilitiesWhenReady() throws Exception {
    CompletableFuture<Void> inOnStart = new CompletableFuture<>();
    CompletableFuture<Void> release = new CompletableFuture<>();
    TestWorker w = new TestWorker(config("facs.ops.port=0", "worker.statusFile=" + dir.resolve("status.json")),
        Facilities.of(network.facility(), new MemoryStoreFacility()), x -> {
          inOnStart.complete(null);
          release.get(10, TimeUnit.SECONDS);
        });
    assertTrue(w.opsPort().isEmpty());
    CompletableFuture<Void> started = w.start();
    inOnStart.get(10, TimeUnit.SECONDS);
    int port = w.opsPort().getAsInt();
    HttpResponse<String> starting = get(port, "/healthz");
    assertEquals(503, starting.statusCode());
    JsonNode body = Json.parse(starting.body());
    assertEquals("STARTING", body.get("state").asText());
    assertEquals("UP", body.get("facilities").get("store").asText());
    assertEquals("UP", body.get("facilities").get("net").asText());

    release.complete(null);
    started.get(10, TimeUnit.SECONDS);
    HttpResponse<String> ready = get(port, "/healthz");
    assertEquals(200, ready.statusCode());
    JsonNode up = Json.parse(ready.body());
    assertEquals("READY", up.get("state").asText());
    assertEquals("test", up.get("type").asText());
    assertEquals(w.identity().publicKeyHex(), up.get("publicKey").asText());
    assertEquals(port, StatusFile.read(dir.resolve("status.json")).get("opsPort").asInt());
    assertTrue(get(port, "/metrics").body().contains("hyperinfer_facility_ops_seconds"));

    w.stop().get(10, TimeUnit.SECONDS);
    assertTrue(w.opsPort().isEmpty());
    assertEquals("STOPPED", w.health().body().get("facilities").get("net").asText());
    ExecutionException gone = assertThrows(ExecutionException.class, () -> http.sendAsync(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString())
        .get(10, TimeUnit.SECONDS));
    assertInstanceOf(ConnectException.class, gone.getCause());
  }

  @Test
  void shouldReportFailureSentenceUntilStoppedWhenStartFails() throws Exception {
    Facility broken = new RecordingFacility("disk", Facility.PRIORITY_STORE + 1, new java.util.ArrayList<>(),
        ctx -> {
          throw new WorkerException(WorkerException.Code.STORE_LOCKED, "another hyperinfer process is using /x");
        });
    TestWorker w = new TestWorker(config("facs.ops.port=0"),
        Facilities.of(network.facility(), new MemoryStoreFacility()).with(broken), x -> {});
    ExecutionException e = assertThrows(ExecutionException.class, () -> w.start().get(10, TimeUnit.SECONDS));
    assertEquals("another hyperinfer process is using /x",
        WorkerException.expected(e).orElseThrow().getMessage());
    int port = w.opsPort().orElseThrow();
    HttpResponse<String> failed = get(port, "/healthz");
    assertEquals(503, failed.statusCode());
    JsonNode body = Json.parse(failed.body());
    assertEquals("FAILED", body.get("state").asText());
    assertEquals("another hyperinfer process is using /x", body.get("error").asText());
    assertEquals("FAILED", body.get("facilities").get("disk").asText());
    assertEquals("STOPPED", body.get("facilities").get("store").asText());
    assertEquals("PENDING", body.get("facilities").get("net").asText());
    w.stop().get(10, TimeUnit.SECONDS);
    assertTrue(w.opsPort().isEmpty());
  }

  @Test
  void shouldFailAtOpsStepNamingThePortWhenItIsTaken() throws Exception {
    try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      TestWorker w = new TestWorker(config("facs.ops.port=" + taken.getLocalPort()),
          Facilities.of(network.facility(), new MemoryStoreFacility()), x -> {});
      ExecutionException e = assertThrows(ExecutionException.class, () -> w.start().get(10, TimeUnit.SECONDS));
      WorkerStartException start = assertInstanceOf(WorkerStartException.class, e.getCause());
      assertEquals("ops endpoint", start.step());
      WorkerException expected = WorkerException.expected(e).orElseThrow();
      assertEquals(WorkerException.Code.PORT_UNAVAILABLE, expected.code());
      assertTrue(expected.getMessage().startsWith("port " + taken.getLocalPort() + " on 127.0.0.1"));
      assertEquals(WorkerState.FAILED, w.state());
    }
  }
}
