package io.hyperinfer.processor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.EmbedRequest;
import io.hyperinfer.contract.infer.ImageRef;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.contract.infer.ResponseFormat;
import io.hyperinfer.contract.infer.Sampling;
import io.hyperinfer.contract.infer.ToolCall;
import io.hyperinfer.contract.infer.ToolSpec;
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
    assertEquals(List.of("llama3:latest:ollama", "qwen2:0.5b:ollama"),
        EngineTesting.names(engine("chat", Duration.ofSeconds(5)).models()));
  }

  @Test
  void shouldListConfiguredModelsWithoutAskingServerWhenModelsConfigured() {
    OllamaEngine e = new OllamaEngine(new EngineSettings(URI.create("http://127.0.0.1:1"), List.of("a"),
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), "", "chat"));
    assertEquals(List.of("a:ollama"), EngineTesting.names(e.models()));
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

  private static InferRequest rich() throws Exception {
    var schema = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"type\":\"object\"}");
    List<ChatMessage> messages = List.of(
        new ChatMessage("user", "weather?", List.of(new ImageRef("data:image/png;base64,iVBORw0K", null)), List.of(),
            null),
        new ChatMessage("assistant", "", List.of(), List.of(new ToolCall(0, "call_1", "weather",
            "{\"city\":\"Paris\"}")), null),
        new ChatMessage("tool", "sunny", List.of(), List.of(), "call_1"));
    return EngineTesting.request("llama3", messages, null, 32, new Sampling(0.3, 0.9, 42L, 0.1, 0.2, List.of("END")),
        List.of(new ToolSpec("weather", "the weather", schema)), null, new ResponseFormat("json_schema", "w", schema));
  }

  @Test
  void shouldSendEveryOptionInOllamaShapeWhenRequestAsksForThem() throws Exception {
    server.on("/api/chat", Reply.ndjson(DONE));
    engine("chat", Duration.ofSeconds(5)).stream(rich(), tokens::add, new CancelSignal());
    var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(server.requestBodies.getFirst());
    var options = body.path("options");
    assertEquals(0.9, options.path("top_p").asDouble());
    assertEquals(42, options.path("seed").asInt());
    assertEquals(0.1, options.path("presence_penalty").asDouble());
    assertEquals(0.2, options.path("frequency_penalty").asDouble());
    assertEquals("END", options.path("stop").path(0).asText());
    assertEquals("object", body.path("format").path("type").asText());
    assertEquals("weather", body.path("tools").path(0).path("function").path("name").asText());
    assertEquals("iVBORw0K", body.path("messages").path(0).path("images").path(0).asText());
    assertEquals("Paris", body.path("messages").path(1).path("tool_calls").path(0).path("function").path("arguments")
        .path("city").asText());
    assertEquals("tool", body.path("messages").path(2).path("role").asText());
  }

  @Test
  void shouldStreamToolCallsAndFinishWithToolCallsWhenModelCallsATool() throws Exception {
    server.on("/api/chat", Reply.ndjson("{\"model\":\"llama3.2\",\"created_at\":\"2024-07-22T20:33:28Z\","
        + "\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":"
        + "\"weather\",\"arguments\":{\"city\":\"Paris, FR\"}}}]},\"done\":false}",
        "{\"model\":\"llama3.2\",\"created_at\":\"2024-07-22T20:33:29Z\",\"message\":{\"role\":\"assistant\","
        + "\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"prompt_eval_count\":122,\"eval_count\":33}"));
    List<ToolCall> calls = new CopyOnWriteArrayList<>();
    Completion c = engine("chat", Duration.ofSeconds(5)).stream(rich(), new TokenSink() {
      @Override
      public void token(String text) {
        tokens.add(text);
      }

      @Override
      public void toolCall(ToolCall piece) {
        calls.add(piece);
      }
    }, new CancelSignal());
    assertEquals(Completion.TOOL_CALLS, c.finishReason());
    assertEquals(1, calls.size());
    assertEquals("weather", calls.getFirst().name());
    assertEquals("{\"city\":\"Paris, FR\"}", calls.getFirst().arguments());
    assertTrue(calls.getFirst().id().startsWith("call_"));
    assertEquals(List.of(), tokens);
  }

  @Test
  void shouldReportUnsupportedToolsWhenOllamaModelCannotCallTools() throws Exception {
    server.on("/api/chat", Reply.json(400, "{\"error\":\"registry.ollama.ai/library/gemma:2b does not support "
        + "tools\"}"));
    ProcessorException e = assertThrows(ProcessorException.class,
        () -> engine("chat", Duration.ofSeconds(5)).stream(rich(), tokens::add, new CancelSignal()));
    assertEquals(ProcessorException.Code.UNSUPPORTED, e.code());
    assertEquals("tools", e.param());
  }

  @Test
  void shouldRefuseRemoteImageUrlsBecauseOllamaTakesBytes() {
    InferRequest r = new InferRequest("llama3", List.of(new ChatMessage("user", "look", List.of(
        new ImageRef("https://example.com/cat.png", "low")), List.of(), null)), 8, 0);
    ProcessorException e = assertThrows(ProcessorException.class,
        () -> engine("chat", Duration.ofSeconds(5)).stream(r, tokens::add, new CancelSignal()));
    assertEquals(ProcessorException.Code.UNSUPPORTED, e.code());
    assertEquals(List.of(), server.requestBodies);
  }

  @Test
  void shouldContinueRawPromptWithGenerateWhenRequestIsACompletion() throws Exception {
    server.on("/api/generate", Reply.ndjson("{\"response\":\" world\",\"done\":false}",
        "{\"response\":\"\",\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":2,\"eval_count\":1}"));
    Completion c = engine("chat", Duration.ofSeconds(5)).stream(InferRequest.completion("m", "hello", 4,
        Sampling.DEFAULT), tokens::add, new CancelSignal());
    assertEquals(List.of(" world"), tokens);
    assertEquals(new Completion(2, 1, Completion.STOP, c.ttftNanos()), c);
    var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(server.requestBodies.getFirst());
    assertEquals("hello", body.path("prompt").asText());
    assertTrue(body.path("raw").asBoolean());
  }

  @Test
  void shouldEmbedInputsWhenServerAnswersApiEmbed() throws Exception {
    server.on("/api/embed", Reply.json(200, "{\"model\":\"all-minilm\",\"embeddings\":[[0.5,-0.25],[1,0]],"
        + "\"total_duration\":14143917,\"load_duration\":1019500,\"prompt_eval_count\":8}"));
    Embeddings e = engine("chat", Duration.ofSeconds(5)).embed(new EmbedRequest("all-minilm", List.of("a", "b")),
        new CancelSignal());
    assertEquals(8, e.promptTokens());
    assertEquals(2, e.dimensions());
    assertEquals(-0.25f, e.vectors().get(0)[1]);
    assertTrue(server.requestBodies.getFirst().contains("\"input\":[\"a\",\"b\"]"));
    server.on("/api/embed", Reply.json(200, "{\"embeddings\":[[0.5]]}"));
    assertEquals(ProcessorException.Code.ENGINE_FAILED, assertThrows(ProcessorException.class, () -> engine("chat",
        Duration.ofSeconds(5)).embed(new EmbedRequest("m", List.of("a", "b")), new CancelSignal())).code());
  }
}
