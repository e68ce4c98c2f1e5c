package io.hyperinfer.processor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.processor.ProcessorException;
import io.hyperinfer.processor.engine.FakeEngineServer.Reply;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OllamaEngineTest {
  private static final String FIRST = "{\"model\":\"llama3\",\"created_at\":\"2024-01-01T00:00:00Z\","
      + "\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}";
  private static final String SECOND = "{\"model\":\"llama3\",\"created_at\":\"2024-01-01T00:00:00Z\","
      + "\"message\":{\"role\":\"assistant\",\"content\":\"lo\"},\"done\":false}";
  private static final String DONE = "{\"model\":\"llama3\",\"created_at\":\"2024-01-01T00:00:01Z\","
      + "\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,"
      + "\"total_duration\":5000000,\"prompt_eval_count\":26,\"eval_count\":2}";

  private FakeEngineServer server;
  private final List<String> tokens = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new FakeEngineServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OllamaEngine engine(String api, Duration idle) {
    return new OllamaEngine(new EngineSettings(URI.create(server.baseUrl() + "/"), List.of(), Duration.ofSeconds(2),
        Duration.ofSeconds(5), idle, "", api));
  }

  private static InferRequest request(String model) {
    return new InferRequest(model, List.of(ChatMessage.user("hi")), 16, 0.2);
  }

  @Test
  void shouldStreamChatTokensWhenServerSendsNdjson() {
    server.on("/api/chat", Reply.ndjson(FIRST, "", SECOND, DONE));
    Completion c = engine("chat", Duration.ofSeconds(5)).stream(request("llama3"), tokens::add, new CancelSignal());
    assertEquals(List.of("Hel", "lo"), tokens);
    assertEquals(new Completion(26, 2, Completion.STOP, c.ttftNanos()), c);
    assertTrue(c.ttftNanos() >= 0);
    assertTrue(server.requestBodies.getFirst().contains("\"num_predict\":16"));
    assertTrue(server.requestBodies.getFirst().contains("\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"));
  }

  @Test
  void shouldUseGenerateEndpointWhenConfigured() {
    server.on("/api/generate", Reply.ndjson("{\"response\":\"A\",\"done\":false}",
        "{\"response\":\"B\",\"done\":true,\"done_reason\":\"length\"}"));
    Completion c = engine("generate", Duration.ofSeconds(5)).stream(request("m"), tokens::add, new CancelSignal());
    assertEquals(List.of("A", "B"), tokens);
    assertEquals(Completion.LENGTH, c.finishReason());
    assertEquals(2, c.completionTokens());
    assertEquals(TokenCounter.count(request("m")), c.promptTokens());
    assertTrue(server.requestBodies.getFirst().contains("\"prompt\":\"user: hi\\n\""));
  }

  @Test
  void shouldListModelsWhenTagsAnswer() {
    server.on("/api/tags", Reply.json(200, "{\"models\":[{\"name\":\"llama3:latest\",\"model\":\"llama3:latest\","
        + "\"size\":1},{\"name\":\"qwen2:0.5b\"}]}"));
    assertEquals(List.of(new ModelInfo("llama3:latest", "ollama"), new ModelInfo("qwen2:0.5b", "ollama")),
        engine("chat", Duration.ofSeconds(5)).models());
  }

  @Test
  void shouldListConfiguredModelsWithoutAskingServerWhenModelsConfigured() {
    OllamaEngine e = new OllamaEngine(new EngineSettings(URI.create("http://127.0.0.1:1"), List.of("a"),
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), "", "chat"));
    assertEquals(List.of(new ModelInfo("a", "ollama")), e.models());
  }

  @Test
  void shouldFailWithModelNotFoundWhenServerAnswers404() {
    server.on("/api/chat", Reply.json(404, "{\"error\":\"model \\\"nope\\\" not found, try pulling it first\"}"));
    ProcessorException e = assertThrows(ProcessorException.class,
        () -> engine("chat", Duration.ofSeconds(5)).stream(request("nope"), tokens::add, new CancelSignal()));
    assertEquals(ProcessorException.Code.MODEL_NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains("try pulling it first"), e.getMessage());
  }

  @Test
  void shouldFailWhenServerReportsErrorMidStream() {
    server.on("/api/chat", Reply.ndjson(FIRST, "{\"error\":\"out of memory\"}"));
    ProcessorException e = assertThrows(ProcessorException.class,
        () -> engine("chat", Duration.ofSeconds(5)).stream(request("llama3"), tokens::add, new CancelSignal()));
    assertEquals(ProcessorException.Code.ENGINE_FAILED, e.code());
    assertEquals(List.of("Hel"), tokens);
  }

  @Test
  void shouldFailWhenStreamEndsBeforeDoneLine() {
    server.on("/api/chat", Reply.ndjson(FIRST));
    ProcessorException e = assertThrows(ProcessorException.class,
        () -> engine("chat", Duration.ofSeconds(5)).stream(request("llama3"), tokens::add, new CancelSignal()));
    assertEquals(ProcessorException.Code.ENGINE_FAILED, e.code());
  }

  @Test
  void shouldFailWhenLineIsMalformed() {
    server.on("/api/chat", Reply.ndjson("{not json"));
    assertEquals(ProcessorException.Code.ENGINE_FAILED, assertThrows(ProcessorException.class,
        () -> engine("chat", Duration.ofSeconds(5)).stream(request("llama3"), tokens::add, new CancelSignal()))
        .code());
  }

  @Test
  void shouldTimeOutWhenStreamStallsLongerThanIdleTimeout() {
    server.on("/api/chat", Reply.ndjson(FIRST, SECOND, DONE).stallingAfter(1));
    ProcessorException e = assertThrows(ProcessorException.class,
        () -> engine("chat", Duration.ofMillis(150)).stream(request("llama3"), tokens::add, new CancelSignal()));
    assertEquals(ProcessorException.Code.TIMEOUT, e.code());
    assertEquals(List.of("Hel"), tokens);
  }

  @Test
  void shouldReturnCancelledWhenCancelledMidStream() {
    server.on("/api/chat", Reply.ndjson(FIRST, SECOND, DONE).stallingAfter(1));
    CancelSignal cancel = new CancelSignal();
    Completion c = engine("chat", Duration.ofSeconds(5)).stream(request("llama3"), t -> {
      tokens.add(t);
      cancel.cancel();
    }, cancel);
    assertEquals(Completion.CANCELLED, c.finishReason());
    assertEquals(1, c.completionTokens());
  }

  @Test
  void shouldFailWhenConnectionBreaksMidStream() throws Exception {
    String url = FakeEngineServer.brokenServer(FIRST + "\n");
    OllamaEngine e = new OllamaEngine(EngineSettings.of(url));
    ProcessorException ex = assertThrows(ProcessorException.class,
        () -> e.stream(request("llama3"), tokens::add, new CancelSignal()));
    assertEquals(ProcessorException.Code.ENGINE_FAILED, ex.code());
    assertEquals(List.of("Hel"), tokens);
  }

  @Test
  void shouldFailUnavailableWhenNothingListens() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    OllamaEngine e = new OllamaEngine(EngineSettings.of("http://127.0.0.1:" + port));
    assertEquals(ProcessorException.Code.ENGINE_UNAVAILABLE, assertThrows(ProcessorException.class,
        () -> e.stream(request("llama3"), tokens::add, new CancelSignal())).code());
    assertEquals("ollama", e.kind());
  }
}
