package io.hyperinfer.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.StreamCall;
import io.hyperinfer.worker.net.StreamListener;
import io.hyperinfer.worker.testkit.TestDataFactory;
import io.hyperinfer.worker.testkit.TestNetwork;
import io.hyperinfer.worker.testkit.TestWorkers;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ProcessorWorkerTest {
  private final TestNetwork network = TestNetwork.realTime(1);
  private static final Duration MODEL_LOAD = Duration.ofSeconds(60);
  private final TestWorkers workers = new TestWorkers();

  @AfterEach
  void stop() {
    workers.stopAll();
  }

  /** A processor open to any caller (these tests play the gateway with bare peers) unless the config says otherwise. */
  private ProcessorWorker processor(String config) {
    return processor(config, TestWorkers.READY_TIMEOUT);
  }

  private ProcessorWorker processor(String config, Duration readyTimeout) {
    ObjectNode tree = (ObjectNode) Json.parse(config);
    ObjectNode section = tree.has("processor") ? (ObjectNode) tree.get("processor") : tree.putObject("processor");
    if (!section.has("allowedGateways")) {
      section.put("allowAnyCaller", true);
    }
    return workers.start(new ProcessorWorker(TestDataFactory.context("processor"), Config.of(tree),
        network.facilities()), readyTimeout);
  }

  private PeerWorker peer() {
    return workers.start(new PeerWorker(network.facilities()));
  }

  private static ObjectNode request(String model, String text, int maxTokens) {
    ObjectNode r = Json.object().put("model", model).put("maxTokens", maxTokens);
    r.putArray("messages").addObject().put("role", "user").put("content", text);
    return r;
  }

  /** Collects a stream's frames. */
  static final class Frames implements StreamListener {
    final List<String> texts = new CopyOnWriteArrayList<>();
    final List<Long> seqs = new CopyOnWriteArrayList<>();

    @Override
    public void onChunk(long seq, JsonNode chunk) {
      seqs.add(seq);
      texts.add(chunk.path("text").asText());
    }

    @Override
    public void onEnd(JsonNode last) {}

    @Override
    public void onError(NetException error) {}
  }

  private static NetException error(StreamCall call) {
    CompletionException e = assertThrows(CompletionException.class, () -> call.done().join());
    return assertInstanceOf(NetException.class, e.getCause());
  }

  @Test
  void shouldStreamTokensAndEndWithUsageWhenAnyCallerIsAllowed() {
    ProcessorWorker p = processor("{}");
    Frames frames = new Frames();
    StreamCall call = peer().network().requestStream(p.publicKey(), "infer",
        request("builtin-echo", "hello world", 64), frames);
    JsonNode end = call.done().join();
    assertTrue(String.join("", frames.texts).endsWith("hello world"));
    assertEquals(frames.texts.size(), end.path("usage").path("completionTokens").asInt());
    assertEquals(0L, frames.seqs.getFirst());
    assertEquals("stop", end.path("finishReason").asText());
    assertTrue(end.path("timings").path("engineTtftMs").asDouble() >= 0);
    assertEquals(List.of("builtin-echo"), p.modelIds());
  }

  @Test
  void shouldAnnounceOneTopicPerModelWhenStarted() {
    ProcessorWorker p = processor("{\"processor\":{\"engine\":{\"builtin\":{\"modelId\":\"echo-2\"}}}}");
    List<PeerRef> found = peer().network().lookup(ProcessorWorker.MODEL_TOPIC_PREFIX + "echo-2", false).join();
    assertEquals(List.of(new PeerRef(p.publicKey())), found);
    JsonNode status = peer().network().request(p.publicKey(), "status", Json.object()).join();
    assertEquals("builtin", status.path("engine").asText());
    assertEquals("echo-2", status.path("models").path(0).path("id").asText());
    JsonNode models = peer().network().request(p.publicKey(), "models", Json.object()).join();
    assertEquals(1, models.path("models").size());
  }

  @Test
  void shouldRefuseEveryoneWhenNoGatewayIsAllowed() {
    ProcessorWorker p = workers.start(new ProcessorWorker(TestDataFactory.context("processor"), Config.empty(),
        network.facilities()));
    StreamCall refused = peer().network().requestStream(p.publicKey(), "infer", request("builtin-echo", "x", 4),
        new Frames());
    assertEquals(NetException.ERR_FORBIDDEN, error(refused).code());
  }

  @Test
  void shouldRefuseInferWhenCallerIsNotAnAllowedGateway() {
    PeerWorker gateway = peer();
    String gatewayHex = HexFormat.of().formatHex(gateway.network().publicKey());
    ProcessorWorker p = processor("{\"processor\":{\"allowedGateways\":[\"" + gatewayHex + "\"]}}");
    StreamCall refused = peer().network().requestStream(p.publicKey(), "infer",
        request("builtin-echo", "x", 4), new Frames());
    assertEquals(NetException.ERR_FORBIDDEN, error(refused).code());
    StreamCall allowed = gateway.network().requestStream(p.publicKey(), "infer",
        request("builtin-echo", "x", 4), new Frames());
    assertEquals(4, allowed.done().join().path("usage").path("completionTokens").asInt());
    PeerWorker later = peer();
    p.allowGateway(HexFormat.of().formatHex(later.network().publicKey()));
    assertEquals(4, later.network().requestStream(p.publicKey(), "infer", request("builtin-echo", "x", 4),
        new Frames()).done().join().path("usage").path("completionTokens").asInt());
  }

  @Test
  void shouldAnswerBusyWhenConcurrencyAndQueueAreFull() {
    ProcessorWorker p = processor("{\"processor\":{\"concurrency\":1,\"queue\":0,"
        + "\"engine\":{\"builtin\":{\"tokenDelay\":\"10s\"}}}}");
    PeerWorker g = peer();
    StreamCall first = g.network().requestStream(p.publicKey(), "infer", request("builtin-echo", "a", 4),
        new Frames());
    Awaitility.await().until(() -> g.network().request(p.publicKey(), "status", Json.object()).join()
        .path("inFlight").asInt() == 1);
    StreamCall second = g.network().requestStream(p.publicKey(), "infer", request("builtin-echo", "a", 4),
        new Frames());
    assertEquals("ERR_BUSY", error(second).code());
    first.cancel();
  }

  @Test
  void shouldCancelEngineWhenCallerCancels() {
    ProcessorWorker p = processor("{\"processor\":{\"engine\":{\"builtin\":{\"tokenDelay\":\"10s\"}}}}");
    PeerWorker g = peer();
    StreamCall call = g.network().requestStream(p.publicKey(), "infer", request("builtin-echo", "a", 4),
        new Frames());
    Awaitility.await().until(() -> g.network().request(p.publicKey(), "status", Json.object()).join()
        .path("inFlight").asInt() == 1);
    call.cancel();
    Awaitility.await().until(() -> g.network().request(p.publicKey(), "status", Json.object()).join()
        .path("inFlight").asInt() == 0);
  }

  @Test
  void shouldLogEveryJobWithoutItsTextWhenJobsEnd() {
    ProcessorWorker p = processor("{\"processor\":{\"engine\":{\"builtin\":{\"tokenDelay\":\"10s\"}}}}");
    ProcessorWorker fast = processor("{}");
    PeerWorker g = peer();
    fast.allowGateway(HexFormat.of().formatHex(g.network().publicKey()));
    g.network().requestStream(fast.publicKey(), "infer", request("builtin-echo", "secret prompt", 8), new Frames())
        .done().join();
    error(g.network().requestStream(fast.publicKey(), "infer", request("gpt-9", "a", 4), new Frames()));
    JsonNode log = g.network().request(fast.publicKey(), "jobs", Json.object().put("limit", 10)).join();
    assertEquals(2, log.path("total").asInt());
    JsonNode done = log.path("jobs").path(0);
    assertEquals("completed", done.path("outcome").asText());
    assertEquals(HexFormat.of().formatHex(g.network().publicKey()), done.path("gateway").asText());
    assertEquals(8, done.path("completionTokens").asInt());
    assertTrue(done.path("timings").has("engineMs"));
    assertEquals("failed", log.path("jobs").path(1).path("outcome").asText());
    assertEquals("ERR_MODEL_NOT_FOUND", log.path("jobs").path(1).path("code").asText());
    assertTrue(!log.toString().contains("secret prompt"), "the log never holds prompts or answers");

    StreamCall slow = g.network().requestStream(p.publicKey(), "infer", request("builtin-echo", "a", 4), new Frames());
    Awaitility.await().until(() -> g.network().request(p.publicKey(), "status", Json.object()).join()
        .path("inFlight").asInt() == 1);
    slow.cancel();
    Awaitility.await().until(() -> g.network().request(p.publicKey(), "jobs", null).join().path("total").asInt() == 1);
    assertEquals("cancelled", g.network().request(p.publicKey(), "jobs", null).join().path("jobs").path(0)
        .path("outcome").asText());
  }

  @Test
  void shouldRefuseJobLogWhenCallerIsNotAnAllowedGateway() {
    ProcessorWorker p = workers.start(new ProcessorWorker(TestDataFactory.context("processor"), Config.empty(),
        network.facilities()));
    NetException e = assertInstanceOf(NetException.class, assertThrows(CompletionException.class,
        () -> peer().network().request(p.publicKey(), "jobs", null).join()).getCause());
    assertEquals(NetException.ERR_FORBIDDEN, e.code());
  }

  @Test
  void shouldRejectBadRequestsWithTypedErrors() {
    ProcessorWorker p = processor("{}");
    PeerWorker g = peer();
    assertEquals("ERR_MODEL_NOT_FOUND", error(g.network().requestStream(p.publicKey(), "infer",
        request("gpt-9", "a", 4), new Frames())).code());
    assertEquals("ERR_BAD_REQUEST", error(g.network().requestStream(p.publicKey(), "infer",
        request("builtin-echo", "a", 0), new Frames())).code());
    ObjectNode badRole = request("builtin-echo", "a", 4);
    ((ObjectNode) badRole.path("messages").path(0)).put("role", "robot");
    assertEquals("ERR_BAD_REQUEST", error(g.network().requestStream(p.publicKey(), "infer", badRole,
        new Frames())).code());
    assertEquals("ERR_BAD_REQUEST", error(g.network().requestStream(p.publicKey(), "infer",
        Json.object().put("model", "builtin-echo").put("messages", "no"), new Frames())).code());
  }

  @Test
  void shouldEmbedOverTheNetworkWhenEmbeddedModelIsOn() {
    // readiness includes loading the embedded model, which took over 5 s on a loaded 2-core machine
    ProcessorWorker p = processor("{\"processor\":{\"embedding\":{\"type\":\"minilm\"}}}", MODEL_LOAD);
    PeerWorker g = peer();
    ObjectNode req = Json.object().put("model", "all-minilm-l6-v2");
    req.putArray("input").add("A cat sits on the mat.").add("A kitten is on the rug.");
    JsonNode answer = g.network().request(p.publicKey(), "embed", req).join();
    assertEquals(384, answer.path("dimensions").asInt());
    assertEquals(2, answer.path("vectors").size());
    byte[] raw = java.util.Base64.getDecoder().decode(answer.path("vectors").path(0).asText());
    assertEquals(384 * 4, raw.length);
    assertTrue(answer.path("usage").path("promptTokens").asInt() > 4);
    List<PeerRef> found = g.network().lookup(ProcessorWorker.MODEL_TOPIC_PREFIX + "all-minilm-l6-v2", false).join();
    assertEquals(List.of(new PeerRef(p.publicKey())), found);
    JsonNode models = g.network().request(p.publicKey(), "models", Json.object()).join().path("models");
    assertEquals("embeddings", models.path(1).path("features").path(0).asText());
    assertTrue(models.path(0).path("created").asLong() > 1_700_000_000L);
    assertEquals("builtin+minilm", g.network().request(p.publicKey(), "status", Json.object()).join()
        .path("engine").asText());
    JsonNode log = g.network().request(p.publicKey(), "jobs", Json.object()).join();
    assertEquals("completed", log.path("jobs").path(0).path("outcome").asText());
    assertTrue(!log.toString().contains("vectors"));
  }

  @Test
  void shouldRefuseWithParamWhenModelCannotDoWhatIsAsked() {
    ProcessorWorker p = processor("{}");
    PeerWorker g = peer();
    ObjectNode topP = request("builtin-echo", "a", 4).put("topP", 0.5);
    NetException e = error(g.network().requestStream(p.publicKey(), "infer", topP, new Frames()));
    assertEquals("ERR_UNSUPPORTED", e.code());
    assertEquals("top_p", e.details().path("param").asText());
    ObjectNode embed = Json.object().put("model", "builtin-echo");
    embed.putArray("input").add("x");
    NetException notEmbedding = assertInstanceOf(NetException.class, assertThrows(CompletionException.class,
        () -> g.network().request(p.publicKey(), "embed", embed).join()).getCause());
    assertEquals("ERR_UNSUPPORTED", notEmbedding.code());
    embed.put("input", "not an array");
    NetException bad = assertInstanceOf(NetException.class, assertThrows(CompletionException.class,
        () -> g.network().request(p.publicKey(), "embed", embed).join()).getCause());
    assertEquals("ERR_BAD_REQUEST", bad.code());
  }

  @Test
  void shouldHonourStopAndRawPromptsWhenAsked() {
    ProcessorWorker p = processor("{}");
    Frames frames = new Frames();
    ObjectNode req = request("builtin-echo", "keep this. drop that", 64);
    req.putArray("stop").add(". drop");
    JsonNode end = peer().network().requestStream(p.publicKey(), "infer", req, frames).done().join();
    assertTrue(String.join("", frames.texts).endsWith("keep this"), String.join("", frames.texts));
    assertEquals("stop", end.path("finishReason").asText());
    ObjectNode raw = Json.object().put("model", "builtin-echo").put("prompt", "Once upon a time").put("maxTokens", 64);
    Frames completion = new Frames();
    peer().network().requestStream(p.publicKey(), "infer", raw, completion).done().join();
    assertTrue(String.join("", completion.texts).endsWith("Once upon a time"));
  }
}
