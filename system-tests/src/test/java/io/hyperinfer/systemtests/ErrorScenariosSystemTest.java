package io.hyperinfer.systemtests;

import static io.hyperinfer.systemtests.LocalNetwork.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.client.Answer;
import io.hyperinfer.client.ClientException;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.client.InferCall;
import io.hyperinfer.client.Prompt;
import io.hyperinfer.processor.ProcessorWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What goes wrong, end to end: each failure reaches the client as a typed error, or is survived. */
@Timeout(90)
class ErrorScenariosSystemTest {
  private static final String ENGINE = "{\"builtin\":{\"tokenDelay\":\"2ms\"}}";
  private static final String SLOW_FIRST_TOKEN = "{\"builtin\":{\"firstTokenDelay\":\"20s\"}}";

  @TempDir
  Path stores;
  private LocalNetwork network;

  @AfterEach
  void stop() {
    if (network != null) {
      network.close();
    }
  }

  private static ClientException failureOf(InferCall call) {
    CompletionException e = assertThrows(CompletionException.class, () -> call.done().join());
    return assertInstanceOf(ClientException.class, e.getCause());
  }

  @Test
  void shouldRejectWithRetryAfterWhenRateLimitIsHit() {
    network = LocalNetwork.start(stores, 1, "{\"gateway\":{\"limits\":{\"requestsPerMinute\":2}}}", ENGINE);
    ClientWorker c = network.account();
    Answer one = c.infer(Prompt.of(MODEL, "one"));
    Answer two = c.infer(Prompt.of(MODEL, "two"));
    ClientException e = assertThrows(ClientException.class, () -> c.infer(Prompt.of(MODEL, "three")));
    assertEquals("ERR_RATE_LIMITED", e.code());
    assertTrue(e.retryAfterMs() > 0 && e.retryAfterMs() <= 60_000, "retry-after " + e.retryAfterMs());
    JsonNode total = c.usage(1).path("total");
    assertEquals(3, total.path("requests").asInt(), "a rejected request still counts: " + total);
    assertEquals(1, total.path("failed").asInt(), total.toString());
    assertEquals(one.totalTokens() + two.totalTokens(), total.path("totalTokens").asInt(), "no tokens for it");
  }

  @Test
  void shouldRejectRevokedKeyWhenValidationTtlHasPassed() {
    network = LocalNetwork.start(stores, 1, "{\"gateway\":{\"validationTtl\":\"300ms\"}}", ENGINE);
    ClientWorker owner = network.account();
    String key = owner.apiKey();
    String keyId = owner.listApiKeys().path("keys").path(0).path("keyId").asText();
    ClientWorker other = network.client();
    other.useApiKey(key);
    assertTrue(other.infer(Prompt.of(MODEL, "before")).text().endsWith("before"));

    owner.revokeApiKey(keyId);
    Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
      try {
        other.infer(Prompt.of(MODEL, "after"));
        return false;
      } catch (ClientException e) {
        return "ERR_KEY_REVOKED".equals(e.code());
      }
    });
    ClientException e = assertThrows(ClientException.class, () -> other.infer(Prompt.of(MODEL, "again")));
    assertEquals("ERR_KEY_REVOKED", e.code());
  }

  @Test
  void shouldServeFromOtherProcessorWhenFirstIsKilledBeforeFirstToken() throws Exception {
    network = LocalNetwork.start(stores, 1, "{}", SLOW_FIRST_TOKEN);
    ProcessorWorker slow = network.processors.getFirst();
    ClientWorker c = network.account();
    InferCall call = c.stream(Prompt.of(MODEL, "rescued"), t -> { });
    Awaitility.await().until(() -> network.inFlight(slow) == 1);
    ProcessorWorker healthy = network.addProcessor(ENGINE);
    network.net.failPeer(slow.publicKey());

    Answer a = call.done().get(30, TimeUnit.SECONDS);
    assertTrue(a.text().endsWith("rescued"), a.text());
    assertEquals(2, a.attempts());
    assertEquals(java.util.HexFormat.of().formatHex(healthy.publicKey()).substring(0, a.processor().length()),
        a.processor(), "the surviving processor should have served it");
  }

  @Test
  void shouldFailWithTypedErrorWhenAllProcessorsAreGone() {
    network = LocalNetwork.start(stores, 1, "{}", ENGINE, ENGINE);
    ClientWorker c = network.account();
    assertTrue(c.infer(Prompt.of(MODEL, "warm")).text().endsWith("warm"));
    network.processors.forEach(p -> network.net.failPeer(p.publicKey()));

    ClientException e = assertThrows(ClientException.class, () -> c.infer(Prompt.of(MODEL, "anyone?")));
    // Dead processors are still announced on the model topic, so the gateway tries them and gives up: not "none".
    assertEquals("ERR_PROCESSOR_FAILED", e.code());
    assertTrue(e.plainMessage().endsWith("[" + e.code() + "]"), e.plainMessage());
  }

  @Test
  void shouldFailOverToOtherGatewayWhenOneIsKilled() {
    network = LocalNetwork.start(stores, 2, "{}", ENGINE);
    ClientWorker c = network.account();
    assertTrue(c.infer(Prompt.of(MODEL, "warm")).text().endsWith("warm"));
    network.net.failPeer(network.gateways.get(0).publicKey());
    for (int i = 0; i < 4; i++) {
      assertTrue(c.infer(Prompt.of(MODEL, "still here " + i)).text().endsWith("still here " + i));
      assertEquals(1, c.listApiKeys().path("keys").size());
    }
    network.net.failPeer(network.gateways.get(1).publicKey());
    ClientException e = assertThrows(ClientException.class, () -> c.infer(Prompt.of(MODEL, "nobody")));
    // The dead gateways are still announced, so the client reaches none of them rather than finding none.
    assertEquals("ERR_PEER_UNAVAILABLE", e.code());
  }

  @Test
  void shouldRejectWithTypedErrorAndChangeNothingWhenInputIsBad() {
    network = LocalNetwork.start(stores, 1, "{}", ENGINE);
    ClientWorker c = network.account();
    c.infer(Prompt.of(MODEL, "baseline"));
    JsonNode before = c.usage(1).path("total");

    ClientException e = assertThrows(ClientException.class,
        () -> c.infer(Prompt.of(MODEL, "too few").withMaxTokens(-5)));
    assertEquals("ERR_BAD_REQUEST", e.code());
    ClientException noPassword = assertThrows(ClientException.class, () -> c.register("not-an-email", ""));
    assertTrue(noPassword.code().startsWith("ERR_"), noPassword.code());

    JsonNode after = c.usage(1).path("total");
    assertEquals(before.path("totalTokens").asInt(), after.path("totalTokens").asInt());
    assertEquals(before.path("completionTokens").asInt(), after.path("completionTokens").asInt());
    assertEquals(1, c.listApiKeys().path("keys").size());
  }

  @Test
  void shouldFailWithTypedErrorWhenModelIsUnknown() {
    network = LocalNetwork.start(stores, 1, "{}", ENGINE);
    ClientWorker c = network.account();
    ClientException e = assertThrows(ClientException.class,
        () -> c.infer(Prompt.of("no-such-model:7b", "hello")));
    assertEquals("ERR_MODEL_NOT_FOUND", e.code());
    assertTrue(e.plainMessage().startsWith("No model of that name"), e.plainMessage());
    assertTrue(e.plainMessage().endsWith("[ERR_MODEL_NOT_FOUND]"), e.plainMessage());
  }
}
