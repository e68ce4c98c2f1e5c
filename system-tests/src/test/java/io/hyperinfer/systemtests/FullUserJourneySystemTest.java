package io.hyperinfer.systemtests;

import static io.hyperinfer.systemtests.LocalNetwork.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.client.Answer;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.client.Prompt;
import io.hyperinfer.worker.testkit.TestDataFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The seed's journeys end to end: Client -> Gateway -> Auth / Processor, real workers, stores on disk. */
@Timeout(90)
class FullUserJourneySystemTest {
  private static final String ENGINE = "{\"builtin\":{\"tokenDelay\":\"2ms\"}}";
  private static final List<String> TIMING_FIELDS =
      List.of("authMs", "queueMs", "routingMs", "processorMs", "engineTtftMs", "totalMs");

  @TempDir
  Path stores;
  private LocalNetwork network;

  @AfterEach
  void stop() {
    if (network != null) {
      network.close();
    }
  }

  @Test
  void shouldStreamChunksInOrderWithUsageAndTimingsWhenUserRegistersAndCreatesKey() throws Exception {
    network = LocalNetwork.start(stores, 1, "{}", ENGINE);
    ClientWorker c = network.client();
    String email = TestDataFactory.email();
    String password = TestDataFactory.password();
    assertEquals(email, c.register(email, password).path("email").asText());
    c.login(email, password);
    JsonNode created = c.createApiKey("journey");
    assertTrue(c.apiKey().startsWith("hi_"), "the client should hold the new key");
    assertFalse(created.path("key").path("keyId").asText().isEmpty(), created.toString());

    StringBuilder words = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      words.append(" w").append(i);
    }
    List<String> chunks = new CopyOnWriteArrayList<>();
    Answer a = c.stream(Prompt.of(MODEL, words.toString().trim()), chunks::add).done().get(30, TimeUnit.SECONDS);

    assertTrue(chunks.size() > 1, "the answer should arrive in several chunks: " + chunks);
    assertEquals(String.join("", chunks), a.text(), "chunks must be delivered exactly once, in sequence order");
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), numbersIn(a.text()));
    assertEquals("stop", a.finishReason());
    assertEquals(chunks.size(), a.completionTokens());
    assertTrue(a.promptTokens() > 0);
    assertEquals(a.promptTokens() + a.completionTokens(), a.totalTokens());
    for (String field : TIMING_FIELDS) {
      assertTrue(a.timings().has(field), "end frame lacks " + field + ": " + a.timings());
      assertTrue(a.timings().path(field).asDouble() >= 0, field);
    }
    assertTrue(a.timings().path("totalMs").asDouble() >= a.timings().path("engineTtftMs").asDouble());
    assertEquals(1, a.attempts());
  }

  @Test
  void shouldAccessResourcesWithSessionWhenUserLogsInWithoutApiKey() {
    network = LocalNetwork.start(stores, 1, "{}", ENGINE);
    ClientWorker c = network.client();
    String email = TestDataFactory.email();
    String password = TestDataFactory.password();
    c.register(email, password);
    c.login(email, password);
    assertNull(c.apiKey());
    assertFalse(c.session().isEmpty());

    assertTrue(c.infer(Prompt.of(MODEL, "by session")).text().endsWith("by session"));
    assertEquals(MODEL, c.models().path("models").path(0).path("id").asText());
    c.createApiKey("made-with-session");
    assertEquals(1, c.listApiKeys().path("keys").size());
  }

  @Test
  void shouldShowUsageToUserWhenRequestsWereServed() {
    network = LocalNetwork.start(stores, 1, "{}", ENGINE);
    ClientWorker c = network.account();
    Answer first = c.infer(Prompt.of(MODEL, "count me"));
    Answer second = c.infer(Prompt.of(MODEL, "and me too"));

    JsonNode total = c.usage(1).path("total");
    assertEquals(2, total.path("requests").asInt());
    assertEquals(first.promptTokens() + second.promptTokens(), total.path("promptTokens").asInt());
    assertEquals(first.completionTokens() + second.completionTokens(), total.path("completionTokens").asInt());
    assertEquals(first.totalTokens() + second.totalTokens(), total.path("totalTokens").asInt());
  }

  @Test
  void shouldServeRequestsOnEveryInstanceWhenTwoGatewaysAndTwoProcessorsRun() throws Exception {
    network = LocalNetwork.start(stores, 2, "{\"gateway\":{\"statusInterval\":\"100ms\"}}",
        "{\"builtin\":{\"tokenDelay\":\"30ms\"}}", "{\"builtin\":{\"tokenDelay\":\"30ms\"}}");
    List<ClientWorker> clients = new ArrayList<>();
    // Sign two clients up through each gateway: the other one is unreachable meanwhile.
    for (int g = 0; g < 2; g++) {
      byte[] away = network.gateways.get(1 - g).publicKey();
      network.net.failPeer(away);
      clients.add(network.account());
      clients.add(network.account());
      network.net.recoverPeer(away);
    }
    Set<String> processors = new HashSet<>();
    List<java.util.concurrent.CompletableFuture<Answer>> calls = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      calls.clear();
      for (int i = 0; i < clients.size(); i++) {
        calls.add(clients.get(i).stream(Prompt.of(MODEL, "parallel " + round + " " + i), t -> { }).done());
      }
      for (int i = 0; i < calls.size(); i++) {
        Answer a = calls.get(i).get(30, TimeUnit.SECONDS);
        assertTrue(a.text().endsWith("parallel " + round + " " + i), a.text());
        processors.add(a.processor());
      }
    }
    assertEquals(2, processors.size(), "concurrent load should reach both processors: " + processors);
    for (int g = 0; g < 2; g++) {
      assertEquals(2, network.served(g, "register"), "gateway " + g + " signed up its two clients");
      assertEquals(2, network.served(g, "createApiKey"), "gateway " + g);
    }
    // Failing a gateway drops its connections, so clients that were on it fail over on their next call: the streams
    // may all end on one gateway, but every one is served exactly once. A gateway records a stream as served after its
    // handler returns, which is just after the end frame went out, so the count may trail the last answer briefly.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> network.served(0, "infer") + network.served(1, "infer") >= 12);
    assertEquals(12, network.served(0, "infer") + network.served(1, "infer"));
    assertEquals(2, clients.getFirst().gatewaysFound().size(), "the client should see both gateways");
    int requests = 0;
    for (ClientWorker c : clients) {
      requests += c.usage(1).path("total").path("requests").asInt();
    }
    assertEquals(12, requests, "usage, read through any gateway, counts every served stream");
  }

  private static List<Integer> numbersIn(String text) {
    List<Integer> out = new ArrayList<>();
    Matcher m = Pattern.compile("w(\\d+)").matcher(text);
    while (m.find()) {
      out.add(Integer.parseInt(m.group(1)));
    }
    return out;
  }
}
