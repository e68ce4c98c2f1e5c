package io.hyperinfer.systemtests;

import static io.hyperinfer.systemtests.ProcessCluster.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.app.launch.ProcessNetwork;
import io.hyperinfer.contract.session.SessionException;
import io.hyperinfer.contract.session.SessionVerifier;
import io.hyperinfer.client.Answer;
import io.hyperinfer.client.ClientException;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.client.Prompt;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.testkit.TestDataFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The user journeys end to end on one network of processes (two gateways, Auth, two processors; the builtin engine):
 * register, key, streamed inference in order with usage and timings, sessions, usage across gateways, a rate limit,
 * revocation, bad input, and a peer whose proven key is not an allowed gateway refused by the processors.
 */
@Timeout(120)
class JourneySystemTest {
  private static final List<String> TIMING_FIELDS =
      List.of("authMs", "queueMs", "routingMs", "processorMs", "engineTtftMs", "totalMs");
  private static ProcessCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = ProcessCluster.start(Files.createTempDirectory("journey-system-test-"), 2, 2,
        "{\"builtin\":{\"tokenDelay\":\"5ms\"}}", List.of("--set", "gateway.validationTtl=300ms", "--set",
            "gateway.statusInterval=500ms"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shouldStreamChunksInOrderWithUsageAndTimingsWhenUserRegistersAndCreatesKey() throws Exception {
    ClientWorker c = cluster.client();
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
      assertTrue(a.timings().path(field).asDouble(-1) >= 0, "end frame lacks " + field + ": " + a.timings());
    }
    assertEquals(1, a.attempts());
  }

  @Test
  void shouldAccessResourcesWithSessionAndCountUsageWhenUserLogsInWithoutApiKey() throws Exception {
    ClientWorker c = cluster.signedIn(Duration.ofSeconds(30));
    assertNull(c.apiKey());
    Answer first = c.infer(Prompt.of(MODEL, "by session"));
    Answer second = c.infer(Prompt.of(MODEL, "and me too"));
    assertTrue(first.text().endsWith("by session"), first.text());

    JsonNode usage = c.usage(1);
    JsonNode total = usage.path("total");
    assertEquals(2, usage.path("gateways").asInt(), "usage sums the shards of both gateways: " + usage);
    assertEquals(2, total.path("requests").asInt(), total.toString());
    assertEquals(first.totalTokens() + second.totalTokens(), total.path("totalTokens").asInt());
    c.createApiKey("made-with-session");
    assertEquals(1, c.listApiKeys().path("keys").size());
  }

  @Test
  void shouldServeConcurrentStreamsOnBothProcessorsThroughEitherGateway() throws Exception {
    List<ClientWorker> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      clients.add(cluster.account());
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> clients.getFirst().gatewaysFound().size() == 2);
    Set<String> processors = new HashSet<>();
    for (int round = 0; round < 3; round++) {
      List<CompletableFuture<Answer>> calls = new ArrayList<>();
      for (int i = 0; i < clients.size(); i++) {
        calls.add(clients.get(i).stream(Prompt.of(MODEL, "parallel " + round + " " + i + " with some more words"),
            t -> { }).done());
      }
      for (int i = 0; i < calls.size(); i++) {
        Answer a = calls.get(i).get(30, TimeUnit.SECONDS);
        assertTrue(a.text().endsWith("parallel " + round + " " + i + " with some more words"), a.text());
        processors.add(a.processor());
      }
    }
    assertEquals(2, processors.size(), "concurrent load should reach both processors: " + processors);
    int requests = 0;
    for (ClientWorker c : clients) {
      requests += c.usage(1).path("total").path("requests").asInt();
    }
    assertEquals(12, requests, "usage, read through any gateway, counts every served stream");
  }

  @Test
  void shouldRejectWithRetryAfterWhenKeyRateLimitIsHit() throws Exception {
    ClientWorker c = cluster.account();
    ObjectNode req = Json.object().put("session", c.session()).put("name", "limited");
    req.putObject("limits").put("requestsPerMinute", 2);
    c.useApiKey(c.call("createApiKey", req).path("apiKey").asText());
    c.infer(Prompt.of(MODEL, "one").withMaxTokens(4));
    c.infer(Prompt.of(MODEL, "two").withMaxTokens(4));
    ClientException e = assertThrows(ClientException.class, () -> c.infer(Prompt.of(MODEL, "three")));
    assertEquals("ERR_RATE_LIMITED", e.code());
    assertTrue(e.retryAfterMs() > 0 && e.retryAfterMs() <= 60_000, "retry-after " + e.retryAfterMs());
  }

  @Test
  void shouldRejectRevokedKeyWhenValidationTtlHasPassed() throws Exception {
    ClientWorker owner = cluster.account();
    String key = owner.apiKey();
    String keyId = owner.listApiKeys().path("keys").path(0).path("keyId").asText();
    ClientWorker other = cluster.client();
    other.useApiKey(key);
    assertTrue(other.infer(Prompt.of(MODEL, "before")).text().endsWith("before"));

    owner.revokeApiKey(keyId);
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
      try {
        other.infer(Prompt.of(MODEL, "after"));
        return false;
      } catch (ClientException e) {
        return "ERR_KEY_REVOKED".equals(e.code());
      }
    });
    assertEquals("ERR_KEY_REVOKED", assertThrows(ClientException.class,
        () -> other.infer(Prompt.of(MODEL, "again"))).code());
  }

  @Test
  void shouldRejectWithTypedErrorAndChangeNothingWhenInputIsBadOrModelUnknown() throws Exception {
    ClientWorker c = cluster.account();
    c.infer(Prompt.of(MODEL, "baseline"));
    JsonNode before = c.usage(1).path("total");
    assertEquals("ERR_BAD_REQUEST", assertThrows(ClientException.class,
        () -> c.infer(Prompt.of(MODEL, "too few").withMaxTokens(-5))).code());
    assertTrue(assertThrows(ClientException.class, () -> c.register("not-an-email", "")).code().startsWith("ERR_"));
    ClientException unknown = assertThrows(ClientException.class, () -> c.infer(Prompt.of("no-such-model:7b", "hi")));
    assertEquals("ERR_MODEL_NOT_FOUND", unknown.code());
    assertTrue(unknown.plainMessage().endsWith("[ERR_MODEL_NOT_FOUND]"), unknown.plainMessage());
    JsonNode after = c.usage(1).path("total");
    assertEquals(before.path("totalTokens").asInt(), after.path("totalTokens").asInt());
    assertEquals(1, c.listApiKeys().path("keys").size());
  }

  @Test
  void shouldRejectSessionOfflineWhenItIsForged() throws Exception {
    ClientWorker c = cluster.client();
    String email = TestDataFactory.email();
    String password = TestDataFactory.password();
    c.register(email, password);
    String token = c.login(email, password).path("session").asText();
    SessionVerifier verifier = new SessionVerifier(cluster.processes.ready(ProcessNetwork.AUTH).publicKeyBytes(),
        Clock.systemUTC());
    assertEquals(email, verifier.verify(token).email());
    char swapped = token.charAt(5) == 'A' ? 'B' : 'A';
    String forged = token.substring(0, 5) + swapped + token.substring(6);
    assertEquals(SessionException.Code.INVALID_SESSION, assertThrows(SessionException.class,
        () -> verifier.verify(forged)).code());
  }

  @Test
  void shouldRefuseAPeerWhoseProvenKeyIsNotAnAllowedGateway() throws Exception {
    NetFacility stranger = cluster.peer(Ed25519.generate());
    for (int i = 1; i <= 2; i++) {
      byte[] processor = cluster.processes.ready(ProcessNetwork.processor(i)).publicKeyBytes();
      for (String method : List.of("jobs", "embed")) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> stranger.request(processor, method,
            embedPayload()).get(15, TimeUnit.SECONDS));
        NetException refused = assertInstanceOf(NetException.class, e.getCause());
        assertEquals(NetException.ERR_FORBIDDEN, refused.code(), method + " on processor-" + i);
      }
      assertTrue(stranger.request(processor, "status", Json.object()).get(15, TimeUnit.SECONDS).has("inFlight"),
          "status stays open to anyone");
    }
  }

  private static ObjectNode embedPayload() {
    ObjectNode p = Json.object().put("model", MODEL);
    p.putArray("input").add("x");
    return p;
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
