package io.hyperinfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.gateway.GatewayWorker;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.testkit.TestDataFactory;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Client -> Gateway -> Auth and Gateway -> Processor, through the client library. */
@Timeout(30)
class ClientIT {
  private Network network;

  @AfterEach
  void stop() {
    if (network != null) {
      network.close();
    }
  }

  @Test
  void shouldRunFullJourneyWhenUserRegistersCreatesKeyAndStreams() {
    network = Network.start(1, "{}", "{}");
    ClientWorker c = network.account();
    List<String> tokens = new CopyOnWriteArrayList<>();
    Answer a = c.stream(Prompt.of("builtin-echo", "Where am I?"), tokens::add).done().join();
    assertEquals(String.join("", tokens), a.text());
    assertTrue(a.text().endsWith("Where am I?"));
    assertEquals(tokens.size(), a.completionTokens());
    assertTrue(a.timings().path("totalMs").asDouble() > 0);
    assertEquals(1, a.attempts());
    JsonNode usage = c.usage(1);
    assertEquals(1, usage.path("total").path("requests").asInt());
    assertEquals(a.totalTokens(), usage.path("total").path("totalTokens").asInt());
    assertEquals(1, c.listApiKeys().path("keys").size());
    assertEquals("builtin-echo", c.models().path("models").path(0).path("id").asText());
  }

  @Test
  void shouldUseSessionWhenNoApiKeyIsHeld() {
    network = Network.start(1, "{}", "{}");
    ClientWorker c = network.client();
    String email = TestDataFactory.email();
    String password = TestDataFactory.password();
    c.register(email, password);
    c.login(email, password);
    assertNull(c.apiKey());
    assertTrue(c.infer(Prompt.of("builtin-echo", "by session")).text().endsWith("by session"));
    c.logout();
    assertNull(c.session());
    assertEquals("ERR_UNAUTHORIZED", assertThrows(ClientException.class, () -> c.createApiKey("x")).code());
  }

  @Test
  void shouldReportRateLimitInPlainWordsWhenLimitIsHit() {
    network = Network.start(1, "{\"gateway\":{\"limits\":{\"requestsPerMinute\":1}}}", "{}");
    ClientWorker c = network.account();
    c.infer(Prompt.of("builtin-echo", "one"));
    ClientException e = assertThrows(ClientException.class, () -> c.infer(Prompt.of("builtin-echo", "two")));
    assertEquals("ERR_RATE_LIMITED", e.code());
    assertTrue(e.retryAfterMs() > 0);
    assertTrue(e.plainMessage().startsWith("Too many requests"), e.plainMessage());
    assertTrue(e.plainMessage().endsWith("[ERR_RATE_LIMITED]"));
  }

  @Test
  void shouldFailOverToAnotherGatewayWhenOneIsGone() {
    network = Network.start(2, "{}", "{}");
    ClientWorker c = network.account();
    c.infer(Prompt.of("builtin-echo", "warm"));
    network.net.failPeer(network.gateways.get(0).publicKey());
    network.net.failPeer(network.gateways.get(0).publicKey());
    for (int i = 0; i < 3; i++) {
      assertTrue(c.infer(Prompt.of("builtin-echo", "still here " + i)).text().endsWith("still here " + i));
      assertEquals(1, c.listApiKeys().path("keys").size());
    }
  }

  @Test
  void shouldFailWithNoGatewayWhenNetworkIsEmpty() {
    network = new Network();
    // looks again for 200 ms, not the default 2 s: GatewayWaitTest covers the wait itself
    ClientWorker c = network.workers.start(new ClientWorker(TestDataFactory.context("client"),
        Config.of(Json.parse("{\"client\":{\"gatewayWait\":\"200ms\"}}")), network.net.facilities()));
    ClientException e = assertThrows(ClientException.class, () -> c.register("a@b.test", "x"));
    assertEquals("ERR_NO_GATEWAY", e.code());
    CompletionException ce = assertThrows(CompletionException.class,
        () -> c.stream("hi_x", Prompt.of("m", "x"), t -> { }).done().join());
    assertEquals("ERR_NO_GATEWAY", assertInstanceOf(ClientException.class, ce.getCause()).code());
    assertTrue(e.plainMessage().contains("No gateway"));
  }

  @Test
  void shouldReachAGatewayThatAnnouncesWhileTheClientIsStillLookingForOne() throws Exception {
    network = new Network();
    ClientWorker c = network.workers.start(new ClientWorker(TestDataFactory.context("client"),
        Config.of(Json.parse("{\"client\":{\"gatewayWait\":\"60s\"}}")), network.net.facilities()));
    java.util.concurrent.CompletableFuture<JsonNode> models = java.util.concurrent.CompletableFuture.supplyAsync(
        c::models);
    Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> c.gatewayLookupsRepeated() > 0);
    assertFalse(models.isDone(), "no gateway yet: the call is looking again");

    network.gateways.add(network.services.gateway(new GatewayWorker(TestDataFactory.context("gateway"),
        Config.empty(), network.services.facilities())));
    network.processors.add(network.services.processor("{}", "{}"));

    assertEquals("builtin-echo", models.get(20, TimeUnit.SECONDS).path("models").path(0).path("id").asText());
  }

  @Test
  void shouldStopGenerationWhenClientCancelsOrDisconnects() {
    network = Network.start(1, "{}", "{\"builtin\":{\"tokenDelay\":\"20s\"}}");
    var p = network.processors.getFirst();
    ClientWorker c = network.account();
    InferCall call = c.stream(Prompt.of("builtin-echo", "slow"), t -> { });
    Awaitility.await().until(() -> network.inFlight(p) == 1);
    call.cancel();
    Awaitility.await().until(() -> network.inFlight(p) == 0);
    assertEquals("ERR_CANCELLED", assertInstanceOf(ClientException.class,
        assertThrows(CompletionException.class, () -> call.done().join()).getCause()).code());

    ClientWorker leaving = network.account();
    leaving.stream(Prompt.of("builtin-echo", "bye"), t -> { });
    Awaitility.await().until(() -> network.inFlight(p) == 1);
    network.net.failPeer(leaving.identity().publicKey());
    Awaitility.await().until(() -> network.inFlight(p) == 0);
  }

  @Test
  void shouldServeFromSecondProcessorWhenFirstDiesBeforeFirstToken() {
    network = Network.start(1, "{}", "{\"builtin\":{\"tokenDelay\":\"20s\"}}");
    var slow = network.processors.getFirst();
    ClientWorker c = network.account();
    InferCall call = c.stream(Prompt.of("builtin-echo", "rescued"), t -> { });
    Awaitility.await().until(() -> network.inFlight(slow) == 1);
    network.processors.add(network.workers.start(new io.hyperinfer.processor.ProcessorWorker(
        TestDataFactory.context("processor"), io.hyperinfer.worker.Config.of(io.hyperinfer.worker.Json.parse(
            "{\"processor\":{\"allowedGateways\":[\"" + java.util.HexFormat.of().formatHex(
                network.gateways.getFirst().publicKey()) + "\"]}}")), network.net.facilities())));
    network.net.failPeer(slow.publicKey());
    Answer a = call.done().join();
    assertTrue(a.text().endsWith("rescued"));
    assertEquals(2, a.attempts());
  }

  @Test
  void shouldAnswerThroughTheNextGatewayAndCancelOnTheSilentOneWhenNoFrameComesWithinTheFirstReplyDeadline()
      throws Exception {
    network = new Network();
    SilentGateway silent = network.workers.start(new SilentGateway(network.net.facilities()));
    network.gateways.add(network.services.gateway(new GatewayWorker(TestDataFactory.context("gateway"),
        Config.empty(), network.services.facilities())));
    network.services.auth();
    network.processors.add(network.services.processor("{}", "{}"));
    String apiKey = network.account().apiKey();
    ClientWorker c = network.workers.start(new ClientWorker(TestDataFactory.context("client"),
        Config.of(Json.parse("{\"client\":{\"firstReplyTimeout\":\"300ms\"}}")), network.net.facilities()));
    c.useApiKey(apiKey);

    Answer a = c.infer(Prompt.of("builtin-echo", "past the silent one"));

    assertTrue(a.text().endsWith("past the silent one"), a.text());
    assertEquals(1, silent.streams.get(), "the silent gateway was tried first");
    assertTrue(silent.cancelled.await(10, TimeUnit.SECONDS), "the abandoned stream was cancelled");
    assertEquals(1, c.gatewaysAbandoned());
    assertTrue(c.infer(Prompt.of("builtin-echo", "again")).text().endsWith("again"));
    assertEquals(1, silent.streams.get(), "the next call starts on the gateway that answered");
    assertEquals(1, c.gatewaysAbandoned());
  }
}
