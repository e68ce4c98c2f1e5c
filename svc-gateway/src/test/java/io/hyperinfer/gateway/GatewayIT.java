package io.hyperinfer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.processor.ProcessorWorker;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GatewayIT {
  private final Cluster cluster = new Cluster();

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void shouldStreamInferenceWithUsageAndTimingsWhenClientUsesApiKey() {
    GatewayWorker g = cluster.gateway("{}");
    cluster.auth();
    cluster.processor("{}");
    Cluster.Caller client = cluster.client();
    ObjectNode account = client.account(g, Json.object());
    Cluster.Stream s = client.stream(g, Cluster.infer("apiKey", account.get("apiKey").asText(), "builtin-echo",
        "Hello gateway"));
    JsonNode end = s.end();
    assertTrue(s.text().startsWith("[builtin-echo: not a language model"), s.text());
    assertTrue(s.text().endsWith("Hello gateway"));
    assertEquals(s.texts.size(), end.path("usage").path("completionTokens").asInt());
    assertEquals(List.of("authMs", "queueMs", "routingMs", "processorMs", "engineTtftMs", "totalMs", "slotWaitMs",
        "engineMs"), iterable(end.path("timings").fieldNames()));
    assertEquals(1, end.path("attempts").asInt());
    assertEquals("stop", end.path("finishReason").asText());
  }

  @Test
  void shouldServeResourceWhenClientUsesSession() {
    GatewayWorker g = cluster.gateway("{}");
    cluster.auth();
    cluster.processor("{}");
    Cluster.Caller client = cluster.client();
    ObjectNode account = client.account(g, Json.object());
    JsonNode end = client.stream(g, Cluster.infer("session", account.get("session").asText(), "builtin-echo", "hi"))
        .end();
    assertTrue(end.path("usage").path("totalTokens").asInt() > 0);
    JsonNode models = client.call(g, "models", Json.object());
    assertEquals("builtin-echo", models.path("models").path(0).path("id").asText());
  }

  @Test
  void shouldLetOwnerLogInThroughGatewayWhenStrangerLockedHimselfOut() {
    GatewayWorker g = cluster.gateway("{}");
    cluster.auth();
    Cluster.Caller owner = cluster.client();
    Cluster.Caller stranger = cluster.client();
    ObjectNode user = io.hyperinfer.worker.testkit.TestDataFactory.user();
    owner.call(g, "register", user);
    ObjectNode wrong = user.deepCopy().put("password", "Wrong-password-123");
    for (int i = 0; i < 6; i++) { // five free attempts, then the stranger's key is locked for a second
      assertEquals("ERR_INVALID_CREDENTIALS", assertThrows(NetException.class,
          () -> stranger.call(g, "login", wrong)).code());
    }
    // Auth sees each client's own key (the gateway forwards it): the owner's attempts are his own.
    assertTrue(owner.call(g, "login", user).has("session"));
  }

  @Test
  void shouldPassAuthErrorsThroughWhenCredentialsAreWrong() {
    GatewayWorker g = cluster.gateway("{}");
    cluster.auth();
    Cluster.Caller client = cluster.client();
    ObjectNode user = io.hyperinfer.worker.testkit.TestDataFactory.user();
    client.call(g, "register", user);
    NetException e = assertThrows(NetException.class,
        () -> client.call(g, "login", user.deepCopy().put("password", "Wrong-password-123")));
    assertEquals("ERR_INVALID_CREDENTIALS", e.code());
    NetException bad = assertThrows(NetException.class,
        () -> client.stream(g, Cluster.infer("apiKey", "hi_0000000000000000_nope", "builtin-echo", "x")).end());
    assertEquals("ERR_INVALID_KEY", bad.code());
    NetException none = assertThrows(NetException.class,
        () -> client.stream(g, Json.object().put("model", "builtin-echo").put("prompt", "x")).end());
    assertEquals("ERR_UNAUTHORIZED", none.code());
  }

  @Test
  void shouldRejectWithRetryAfterWhenKeyExceedsRequestsPerMinute() {
    Cluster.Entry at = cluster.entry("{\"gateway\":{\"limits\":{\"requestsPerMinute\":2}}}", "{}");
    at.echo("1").end();
    at.echo("2").end();
    NetException e = assertThrows(NetException.class, () -> at.echo("3").end());
    assertEquals("ERR_RATE_LIMITED", e.code());
    assertTrue(e.details().path("retryAfterMs").asLong() > 0);
    assertEquals("requestsPerMinute", e.details().path("limit").asText());
  }

  @Test
  void shouldApplyKeyLimitsFromAuthWhenKeyHasThem() {
    GatewayWorker g = cluster.gateway("{}");
    cluster.auth();
    cluster.processor("{}");
    Cluster.Caller client = cluster.client();
    ObjectNode req = Json.object();
    req.putObject("limits").put("requestsPerMinute", 1);
    req.putArray("models").add("builtin-echo");
    String key = client.account(g, req).get("apiKey").asText();
    client.stream(g, Cluster.infer("apiKey", key, "builtin-echo", "1")).end();
    assertEquals("ERR_RATE_LIMITED", assertThrows(NetException.class,
        () -> client.stream(g, Cluster.infer("apiKey", key, "builtin-echo", "2")).end()).code());
    assertEquals("ERR_FORBIDDEN", assertThrows(NetException.class,
        () -> client.stream(g, Cluster.infer("apiKey", key, "other-model", "2")).end()).code());
  }

  @Test
  void shouldStopAcceptingRevokedKeyOnceValidationTtlPassed() {
    ManualClock clock = new ManualClock(Instant.now());
    GatewayWorker g = cluster.gateway("{\"gateway\":{\"validationTtl\":\"5s\"}}", clock);
    cluster.auth();
    cluster.processor("{}");
    Cluster.Caller client = cluster.client();
    ObjectNode account = client.account(g, Json.object());
    String key = account.get("apiKey").asText();
    client.stream(g, Cluster.infer("apiKey", key, "builtin-echo", "before")).end();
    client.call(g, "revokeApiKey", Json.object().put("session", account.get("session").asText())
        .put("keyId", account.get("keyId").asText()));
    client.stream(g, Cluster.infer("apiKey", key, "builtin-echo", "cached")).end();
    clock.advance(Duration.ofSeconds(5));
    NetException e = assertThrows(NetException.class,
        () -> client.stream(g, Cluster.infer("apiKey", key, "builtin-echo", "after")).end());
    assertEquals("ERR_KEY_REVOKED", e.code());
  }

  @Test
  void shouldAnswerModelNotFoundWhenNobodyServesModel() {
    Cluster.Entry at = cluster.entry("{}");
    NetException e = assertThrows(NetException.class,
        () -> at.stream(Cluster.infer("apiKey", at.apiKey(), "missing-model", "x")).end());
    assertEquals("ERR_MODEL_NOT_FOUND", e.code());
    assertTrue(e.getMessage().contains("missing-model"));
    assertEquals("ERR_BAD_REQUEST", assertThrows(NetException.class,
        () -> at.stream(Json.object().put("apiKey", at.apiKey()).put("model", "m")).end()).code());
  }

  @Test
  void shouldServeFromOtherProcessorWhenFirstDiesBeforeFirstToken() {
    Cluster.Entry at = cluster.entry("{}", "{\"builtin\":{\"tokenDelay\":\"20s\"}}");
    ProcessorWorker slow = at.processors().get(0);
    Cluster.Stream s = at.echo("survive");
    Awaitility.await().until(() -> inFlight(at.client(), slow) == 1);
    cluster.processor("{}");
    cluster.network.failPeer(slow.publicKey());
    JsonNode end = s.end();
    assertEquals(2, end.path("attempts").asInt());
    assertTrue(s.text().endsWith("survive"));
    assertEquals(0L, s.seqs.getFirst());
  }

  @Test
  void shouldRetryAndFinishWhenFirstProcessorIsUnreachable() {
    Cluster.Entry at = cluster.entry("{}", "{}", "{}");
    ProcessorWorker a = at.processors().get(0);
    ProcessorWorker b = at.processors().get(1);
    ProcessorWorker lower = java.util.HexFormat.of().formatHex(a.publicKey())
        .compareTo(java.util.HexFormat.of().formatHex(b.publicKey())) < 0 ? a : b;
    cluster.network.failPeer(lower.publicKey());
    JsonNode end = at.echo("retry").end();
    assertEquals(2, end.path("attempts").asInt());
  }

  @Test
  void shouldCancelGenerationOnProcessorWhenClientCancels() {
    Cluster.Entry at = cluster.entry("{}", "{\"builtin\":{\"tokenDelay\":\"20s\"}}");
    ProcessorWorker p = at.processors().get(0);
    Cluster.Stream s = at.echo("x");
    Awaitility.await().until(() -> inFlight(at.client(), p) == 1);
    s.call.cancel();
    Awaitility.await().until(() -> inFlight(at.client(), p) == 0);
  }

  @Test
  void shouldSumUsageOverGatewaysAndCountFailures() {
    GatewayWorker g1 = cluster.gateway("{\"gateway\":{\"limits\":{\"requestsPerMinute\":1}}}");
    GatewayWorker g2 = cluster.gateway("{\"gateway\":{\"limits\":{\"requestsPerMinute\":1}}}");
    cluster.auth();
    cluster.processor("{}");
    Cluster.Caller client = cluster.client();
    ObjectNode account = client.account(g1, Json.object());
    String key = account.get("apiKey").asText();
    JsonNode e1 = client.stream(g1, Cluster.infer("apiKey", key, "builtin-echo", "one")).end();
    JsonNode e2 = client.stream(g2, Cluster.infer("apiKey", key, "builtin-echo", "two")).end();
    assertThrows(NetException.class, () -> client.stream(g1, Cluster.infer("apiKey", key, "builtin-echo", "x")).end());
    JsonNode usage = client.call(g2, "usage", Json.object().put("session", account.get("session").asText()));
    assertEquals(2, usage.path("gateways").asInt());
    assertEquals(3, usage.path("total").path("requests").asInt());
    assertEquals(1, usage.path("total").path("failed").asInt());
    assertEquals(e1.path("usage").path("totalTokens").asInt() + e2.path("usage").path("totalTokens").asInt(),
        usage.path("total").path("totalTokens").asInt());
    JsonNode byKey = client.call(g1, "usage", Json.object().put("apiKey", key).put("keyId",
        account.get("keyId").asText()));
    assertEquals(3, byKey.path("total").path("requests").asInt());
    assertEquals("ERR_FORBIDDEN", assertThrows(NetException.class, () -> client.call(g1, "usage",
        Json.object().put("apiKey", key).put("userId", "someone-else"))).code());
  }

  @Test
  void shouldOverAdmitByGatewayCountWhenKeyIsSpreadOverGateways() {
    int perMinute = 3;
    String config = "{\"gateway\":{\"limits\":{\"requestsPerMinute\":" + perMinute + "}}}";
    List<GatewayWorker> gs = List.of(cluster.gateway(config), cluster.gateway(config), cluster.gateway(config));
    cluster.auth();
    cluster.processor("{}");
    Cluster.Caller client = cluster.client();
    String key = client.account(gs.get(0), Json.object()).get("apiKey").asText();
    int admitted = 0;
    for (int i = 0; i < perMinute * 2; i++) {
      for (GatewayWorker g : gs) {
        try {
          client.stream(g, Cluster.infer("apiKey", key, "builtin-echo", "n")).end();
          admitted++;
        } catch (NetException e) {
          assertEquals("ERR_RATE_LIMITED", e.code());
        }
      }
    }
    // measured over-admission: each gateway counts alone, so N gateways admit N times the key's rate
    assertEquals(perMinute * gs.size(), admitted);
  }

  private static int inFlight(Cluster.Caller client, ProcessorWorker p) {
    return client.network().request(p.publicKey(), "status", Json.object()).join().path("inFlight").asInt();
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void shouldKeepTheDefaultForAProcessorItHasNeverHeardFromWhenAPollMissesIt() {
    GatewayWorker g = cluster.gateway("{\"gateway\":{\"statusInterval\":0}}");
    cluster.auth();
    ProcessorWorker a = cluster.processor("{}");
    cluster.processor("{}");
    // as a restarted gateway's first poll can miss processors whose connects are not up yet
    cluster.network.failPeer(a.publicKey());
    assertEquals(1, g.pollProcessors());
    String aHex = java.util.HexFormat.of().formatHex(a.publicKey());
    assertEquals(true, g.routerSnapshot(aHex).get("healthy"), "routable until it has answered once and then stopped");
  }

  @Test
  void shouldMarkProcessorUnhealthyWhenItStopsAnsweringStatus() {
    GatewayWorker g = cluster.gateway("{\"gateway\":{\"statusInterval\":0}}");
    cluster.auth();
    ProcessorWorker a = cluster.processor("{}");
    ProcessorWorker b = cluster.processor("{}");
    assertEquals(2, g.pollProcessors());
    String aHex = java.util.HexFormat.of().formatHex(a.publicKey());
    assertEquals(true, g.routerSnapshot(aHex).get("healthy"));
    cluster.network.failPeer(a.publicKey());
    assertEquals(1, g.pollProcessors());
    assertEquals(false, g.routerSnapshot(aHex).get("healthy"));
    Cluster.Caller client = cluster.client();
    String key = client.account(g, Json.object()).get("apiKey").asText();
    assertEquals(1, client.stream(g, Cluster.infer("apiKey", key, "builtin-echo", "healthy one")).end()
        .path("attempts").asInt());
    assertTrue(b.isReady());
  }

  @Test
  void shouldRetryOnAnotherProcessorWhenFirstTokenTimesOut() {
    Cluster.Entry at = cluster.entry("{\"gateway\":{\"firstTokenTimeout\":\"300ms\"}}",
        "{\"builtin\":{\"firstTokenDelay\":\"20s\"}}");
    ProcessorWorker stuck = at.processors().get(0);
    Cluster.Stream s = at.echo("patience");
    Awaitility.await().until(() -> inFlight(at.client(), stuck) == 1);
    cluster.processor("{}");
    JsonNode end = s.end();
    assertEquals(2, end.path("attempts").asInt());
    Awaitility.await().until(() -> inFlight(at.client(), stuck) == 0);
  }

  @Test
  void shouldLetAdminReadAnyUsersUsage() {
    GatewayWorker g = cluster.gateway("{}");
    var settings = io.hyperinfer.auth.AuthSettings.defaults()
        .withHashing(io.hyperinfer.crypto.PasswordHash.MINIMUM_FOR_TESTS).withGateways(cluster.gatewayKeys())
        .withAdminEmails(java.util.Set.of("root@example.test"));
    cluster.workers.start(new io.hyperinfer.auth.AuthWorker(io.hyperinfer.worker.testkit.TestDataFactory
        .context("auth"), io.hyperinfer.worker.Config.empty(), cluster.network.facilities(), settings));
    cluster.processor("{}");
    Cluster.Caller client = cluster.client();
    ObjectNode user = client.account(g, Json.object());
    client.stream(g, Cluster.infer("apiKey", user.get("apiKey").asText(), "builtin-echo", "metered")).end();
    ObjectNode admin = Json.object().put("email", "root@example.test").put("password", "Admin-kettle-Plum-93");
    client.call(g, "register", admin);
    String adminSession = client.call(g, "login", admin).get("session").asText();
    JsonNode usage = client.call(g, "usage", Json.object().put("session", adminSession)
        .put("userId", user.get("userId").asText()));
    assertEquals(1, usage.path("total").path("requests").asInt());
    JsonNode byKey = client.call(g, "usage", Json.object().put("session", adminSession)
        .put("keyId", user.get("keyId").asText()).put("days", 2));
    assertEquals(1, byKey.path("total").path("requests").asInt());
    assertEquals("ERR_BAD_REQUEST", assertThrows(NetException.class, () -> client.call(g, "usage",
        Json.object().put("session", adminSession).put("days", 0))).code());
  }

  @Test
  void shouldRefuseUsageShardToNonGateways() {
    GatewayWorker g = cluster.gateway("{}");
    Cluster.Caller client = cluster.client();
    assertEquals("ERR_FORBIDDEN", assertThrows(NetException.class, () -> client.call(g, "usageShard",
        Json.object().put("subject", "user/x"))).code());
    assertEquals("ERR_AUTH_UNAVAILABLE", assertThrows(NetException.class, () -> client.call(g, "login",
        Json.object().put("email", "a@b.test").put("password", "x"))).code());
  }

  @Test
  void shouldHoldConcurrencySlotUntilStreamEnds() {
    Cluster.Entry at = cluster.entry("{\"gateway\":{\"limits\":{\"concurrency\":1}}}",
        "{\"builtin\":{\"tokenDelay\":\"20s\"}}");
    ProcessorWorker p = at.processors().get(0);
    Cluster.Stream first = at.echo("long");
    Awaitility.await().until(() -> inFlight(at.client(), p) == 1);
    NetException e = assertThrows(NetException.class, () -> at.echo("second").end());
    assertEquals("concurrency", e.details().path("limit").asText());
    first.call.cancel();
    Awaitility.await().until(() -> inFlight(at.client(), p) == 0);
    Awaitility.await().until(() -> {
      Cluster.Stream third = at.echo("third");
      try {
        third.call.done().get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        return true;
      } catch (java.util.concurrent.TimeoutException stillRunning) {
        third.call.cancel();
        return true;
      } catch (java.util.concurrent.ExecutionException rejected) {
        return false;
      }
    });
  }

  @Test
  void shouldEndWithTimeoutAndCancelTheProcessorWhenItFallsSilentMidStream() {
    Cluster.Entry at = cluster.entry("{\"gateway\":{\"idleTimeout\":\"300ms\"}}",
        "{\"builtin\":{\"tokenDelay\":\"1500ms\"}}");
    ProcessorWorker silent = at.processors().get(0);
    Cluster.Stream partial = at.echo("one two three");
    NetException e = assertThrows(NetException.class, partial::end);
    assertEquals(NetException.ERR_TIMEOUT, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("no chunk from the processor for 300 ms"), e.getMessage());
    assertEquals(1, partial.texts.size(), "the first piece came, the second was too late: " + partial.texts);
    Awaitility.await().until(() -> inFlight(at.client(), silent) == 0);
  }

  @Test
  void shouldEndWithErrorFrameAndNoRetryWhenProcessorDiesAfterFirstToken() {
    Cluster.Entry at = cluster.entry("{}", "{\"builtin\":{\"tokenDelay\":\"300ms\"}}");
    ProcessorWorker slow = at.processors().get(0);
    Cluster.Stream partial = at.echo("partial");
    Awaitility.await().until(() -> !partial.texts.isEmpty());
    cluster.processor("{}");
    cluster.network.failPeer(slow.publicKey());
    NetException e = assertThrows(NetException.class, partial::end);
    assertTrue(e.code().equals(NetException.ERR_CONNECTION_LOST) || e.code().equals(NetException.ERR_PEER_UNAVAILABLE),
        e.code());
    assertTrue(partial.text().startsWith("["), partial.text());
  }

  @Test
  void shouldTakeFailingProcessorOutWhenCircuitOpens() {
    GatewayWorker g = cluster.gateway("{\"gateway\":{\"breaker\":{\"threshold\":2,\"cooldown\":\"1h\"}}}");
    cluster.auth();
    ProcessorWorker broken = cluster.processor("{\"type\":\"ollama\",\"ollama\":{\"baseUrl\":\"http://127.0.0.1:1\","
        + "\"models\":[\"builtin-echo\"],\"connectTimeout\":\"500ms\"}}");
    Cluster.Caller client = cluster.client();
    String key = client.account(g, Json.object()).get("apiKey").asText();
    for (int i = 0; i < 2; i++) {
      NetException e = assertThrows(NetException.class,
          () -> client.stream(g, Cluster.infer("apiKey", key, "builtin-echo", "x")).end());
      assertEquals("ERR_PROCESSOR_FAILED", e.code());
      assertTrue(e.getMessage().contains("ERR_ENGINE_UNAVAILABLE"), e.getMessage());
    }
    assertEquals("OPEN", g.routerSnapshot(java.util.HexFormat.of().formatHex(broken.publicKey())).get("circuit"));
    assertEquals("ERR_NO_PROCESSOR", assertThrows(NetException.class,
        () -> client.stream(g, Cluster.infer("apiKey", key, "builtin-echo", "x")).end()).code());
  }

  private static ObjectNode embed(String key, String model, String... texts) {
    ObjectNode p = Json.object().put("apiKey", key).put("model", model);
    for (String t : texts) {
      p.withArray("input").add(t);
    }
    return p;
  }

  @Test
  void shouldRouteMeterAndLimitEmbeddingsLikeInference() {
    GatewayWorker g = cluster.gateway("{\"gateway\":{\"limits\":{\"requestsPerMinute\":2}}}");
    cluster.auth();
    cluster.processor("{}", "{\"type\":\"minilm\"}");
    Cluster.Caller client = cluster.client();
    JsonNode account = client.account(g, Json.object());
    String key = account.get("apiKey").asText();
    JsonNode answer = client.call(g, "embed", embed(key, "all-minilm-l6-v2", "a red apple", "a green pear"));
    assertEquals(384, answer.path("dimensions").asInt());
    assertEquals(2, answer.path("vectors").size());
    assertEquals(1, answer.path("attempts").asInt());
    assertTrue(answer.path("timings").path("processorMs").asDouble() > 0);
    int tokens = answer.path("usage").path("promptTokens").asInt();
    assertTrue(tokens >= 2 * 4, "a/red/apple + [CLS]/[SEP]: " + tokens);
    JsonNode usage = client.call(g, "usage", Json.object().put("apiKey", key).put("days", 1));
    assertEquals(1, usage.path("total").path("requests").asInt());
    assertEquals(tokens, usage.path("total").path("promptTokens").asInt());
    NetException unsupported = assertThrows(NetException.class,
        () -> client.call(g, "embed", embed(key, "builtin-echo", "x")));
    assertEquals("ERR_UNSUPPORTED", unsupported.code());
    NetException limited = assertThrows(NetException.class,
        () -> client.call(g, "embed", embed(key, "all-minilm-l6-v2", "x")));
    assertEquals("ERR_RATE_LIMITED", limited.code());
  }

  @Test
  void shouldRefuseEmbeddingsForUnknownModelsBadInputAndOtherKeysModels() {
    GatewayWorker g = cluster.gateway("{}");
    cluster.auth();
    cluster.processor("{}", "{\"type\":\"minilm\"}");
    Cluster.Caller client = cluster.client();
    String key = client.account(g, Json.object()).get("apiKey").asText();
    assertEquals("ERR_MODEL_NOT_FOUND", assertThrows(NetException.class,
        () -> client.call(g, "embed", embed(key, "nope", "x"))).code());
    assertEquals("ERR_BAD_REQUEST", assertThrows(NetException.class,
        () -> client.call(g, "embed", embed(key, "all-minilm-l6-v2"))).code());
    assertEquals("ERR_BAD_REQUEST", assertThrows(NetException.class,
        () -> client.call(g, "embed", embed(key, "all-minilm-l6-v2", ""))).code());
    ObjectNode req = Json.object();
    req.putArray("models").add("builtin-echo");
    String echoOnly = client.account(g, req).get("apiKey").asText();
    assertEquals("ERR_FORBIDDEN", assertThrows(NetException.class,
        () -> client.call(g, "embed", embed(echoOnly, "all-minilm-l6-v2", "x"))).code());
    assertEquals("ERR_UNAUTHORIZED", assertThrows(NetException.class,
        () -> client.call(g, "embed", Json.object().put("model", "all-minilm-l6-v2"))).code());
    JsonNode models = client.call(g, "models", Json.object()).path("models");
    assertEquals("all-minilm-l6-v2", models.path(0).path("id").asText());
    assertEquals("[\"embeddings\"]", models.path(0).path("features").toString());
    assertEquals(1, models.path(0).path("processors").asInt());
    assertTrue(models.path(1).path("created").asLong() > 0);
  }
}
