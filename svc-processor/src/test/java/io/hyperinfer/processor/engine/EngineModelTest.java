package io.hyperinfer.processor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.contract.infer.Sampling;
import io.hyperinfer.processor.ProcessorException;
import io.hyperinfer.worker.net.NetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EngineModelTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldRejectInvalidRequestsWhenConstructed() {
    List<ChatMessage> one = List.of(ChatMessage.user("a"));
    assertThrows(NetException.class, () -> new InferRequest(" ", one, 1, 0));
    assertThrows(NetException.class, () -> new InferRequest("m", List.of(), 1, 0));
    assertThrows(NetException.class, () -> new InferRequest("m", one, 0, 0));
    assertThrows(NetException.class, () -> new InferRequest("m", one, 1, 2.5));
    assertThrows(NetException.class, () -> new InferRequest("m", one, 1, Double.NaN));
    assertThrows(NetException.class, () -> new ChatMessage("robot", "x"));
    assertThrows(NetException.class, () -> new ChatMessage("user", null));
  }

  @Test
  void shouldFindLastUserMessageWhenConversationHasSeveral() {
    InferRequest r = new InferRequest("m", List.of(ChatMessage.user("first"),
        new ChatMessage("assistant", "ok"), ChatMessage.user("second"), new ChatMessage("assistant", "x")), 1, 0);
    assertEquals("second", r.lastUserContent());
    assertEquals("", new InferRequest("m", List.of(new ChatMessage("system", "s")), 1, 0).lastUserContent());
    assertEquals("m2", r.withModel("m2").model());
  }

  @Test
  void shouldCountTokensWhenTextHasWordsAndPunctuation() {
    assertEquals(0, TokenCounter.count(""));
    assertEquals(0, TokenCounter.count((String) null));
    assertEquals(3, TokenCounter.count("Hello!"));
    assertEquals(2, TokenCounter.count("a b"));
    assertEquals(4, TokenCounter.count(new InferRequest("m", List.of(ChatMessage.user("a b c")), 1, 0)));
  }

  @Test
  void shouldRunCallbacksOnceWhenCancelled() {
    CancelSignal s = new CancelSignal();
    AtomicInteger calls = new AtomicInteger();
    s.onCancel(calls::incrementAndGet);
    s.onCancel(() -> {
      throw new IllegalStateException("boom");
    });
    s.cancel();
    s.cancel();
    s.onCancel(calls::incrementAndGet);
    assertTrue(s.isCancelled());
    assertEquals(2, calls.get());
  }

  @Test
  void shouldBuildEngineNamedByConfigWhenCreated() throws Exception {
    assertInstanceOf(BuiltinEchoEngine.class, EngineFactory.create(JSON.readTree("{}")));
    InferenceEngine echo = EngineFactory.create(JSON.readTree(
        "{\"type\":\"builtin\",\"builtin\":{\"modelId\":\"e2\",\"tokenDelay\":\"5ms\"}}"));
    assertEquals("e2", echo.models().getFirst().id());
    InferenceEngine ollama = EngineFactory.create(JSON.readTree(
        "{\"type\":\"ollama\",\"ollama\":{\"models\":[\"llama3\"],\"idleTimeout\":250,\"requestTimeout\":\"PT5S\"}}"));
    assertEquals(List.of("llama3:ollama"), EngineTesting.names(ollama.models()));
    InferenceEngine openai = EngineFactory.create(JSON.readTree(
        "{\"type\":\"openai\",\"openai\":{\"baseUrl\":\"http://127.0.0.1:9/\",\"models\":[\"x\"],\"connectTimeout\":\"1s\"}}"));
    assertEquals("openai", openai.kind());
    openai.close();
  }

  @Test
  void shouldFailWithTypedErrorWhenConfigIsBad() throws Exception {
    assertEquals(ProcessorException.Code.BAD_REQUEST, assertThrows(ProcessorException.class,
        () -> EngineFactory.create(JSON.readTree("{\"type\":\"magic\"}"))).code());
    assertEquals(ProcessorException.Code.BAD_REQUEST, assertThrows(ProcessorException.class,
        () -> EngineFactory.create(JSON.readTree("{\"builtin\":{\"tokenDelay\":\"soon\"}}"))).code());
    Path missing = Path.of("/nonexistent/model.gguf");
    assertEquals(ProcessorException.Code.ENGINE_UNAVAILABLE, assertThrows(ProcessorException.class,
        () -> EngineFactory.create(JSON.readTree("{\"llama\":{\"modelPath\":\"" + missing + "\"}}"))).code());
  }

  @Test
  void shouldExtractErrorTextFromBothErrorShapes() {
    assertEquals("a", HttpStreaming.errorMessage("{\"error\":\"a\"}"));
    assertEquals("b", HttpStreaming.errorMessage("{\"error\":{\"message\":\"b\"}}"));
    assertEquals("", HttpStreaming.errorMessage("<html>"));
    assertEquals(List.of("a", " b", "!"), new ArrayList<>(BuiltinEchoEngine.pieces("a b!")));
  }

  @Test
  void shouldCutEchoAtStopSequenceAndRefuseWhatEchoCannotDo() {
    BuiltinEchoEngine echo = new BuiltinEchoEngine();
    EngineSet set = new EngineSet(echo, null);
    InferRequest stop = EngineTesting.request("builtin-echo", List.of(ChatMessage.user("one two STOP three")), null,
        64, new Sampling(0.7, null, 5L, null, null, List.of("STOP")), List.of(), null, null);
    List<String> pieces = new ArrayList<>();
    Completion c = set.generationFor(stop).stream(stop, pieces::add, new CancelSignal());
    assertTrue(String.join("", pieces).endsWith("one two"), String.join("", pieces));
    assertEquals(Completion.STOP, c.finishReason());
    InferRequest topP = EngineTesting.request("builtin-echo", List.of(ChatMessage.user("x")), null, 8,
        new Sampling(0.7, 0.5, null, null, null, List.of()), List.of(), null, null);
    ProcessorException e = assertThrows(ProcessorException.class, () -> set.generationFor(topP));
    assertEquals(ProcessorException.Code.UNSUPPORTED, e.code());
    assertEquals("top_p", e.param());
    InferRequest neutral = EngineTesting.request("builtin-echo", List.of(ChatMessage.user("x")), null, 8,
        new Sampling(0.7, 1.0, null, 0.0, 0.0, List.of()), List.of(), null, null);
    assertEquals(echo, set.generationFor(neutral), "neutral values ask for nothing");
    assertEquals(ProcessorException.Code.MODEL_NOT_FOUND, assertThrows(ProcessorException.class,
        () -> set.embeddingFor("nope")).code());
    assertEquals(ProcessorException.Code.UNSUPPORTED, assertThrows(ProcessorException.class,
        () -> set.embeddingFor("builtin-echo")).code());
    assertEquals("builtin", set.kind());
  }

  @Test
  void shouldFallBackToBuiltinWhenAutoFindsNoOllama() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    InferenceEngine e = EngineFactory.create(JSON.readTree("{\"type\":\"auto\",\"ollama\":{\"baseUrl\":"
        + "\"http://127.0.0.1:" + port + "\"}}"), k -> null);
    assertEquals("builtin", e.kind());
  }

  @Test
  void shouldUseOllamaWhenAutoFindsOneWithModels() throws Exception {
    try (FakeEngineServer ollama = new FakeEngineServer()) {
      ollama.on("/api/tags", FakeEngineServer.Reply.json(200, "{\"models\":[{\"name\":\"qwen2:0.5b\","
          + "\"modified_at\":\"2024-06-01T10:00:00.123456789+02:00\"}]}"));
      InferenceEngine e = EngineFactory.create(JSON.readTree("{\"type\":\"auto\",\"ollama\":{\"baseUrl\":\""
          + ollama.baseUrl() + "\"}}"), k -> null);
      assertEquals("ollama", e.kind());
      ModelInfo m = e.models().getFirst();
      assertEquals("qwen2:0.5b", m.id());
      assertEquals(1717228800L, m.created());
      assertTrue(m.can(Feature.TOOLS) && !m.can(Feature.EMBEDDING));
      ollama.on("/api/tags", FakeEngineServer.Reply.json(200, "{\"models\":[]}"));
      assertEquals("builtin", EngineFactory.create(JSON.readTree("{\"type\":\"auto\",\"ollama\":{\"baseUrl\":\""
          + ollama.baseUrl() + "\"}}"), k -> null).kind());
    }
  }

  @Test
  void shouldReadOpenAiKeyFromNamedEnvironmentVariableAndNeverPrintIt() throws Exception {
    EngineSettings s = EngineSettings.from(JSON.readTree("{\"apiKeyEnv\":\"MY_KEY\"}"), "http://127.0.0.1:1",
        k -> k.equals("MY_KEY") ? " sk-secret " : null);
    assertEquals("sk-secret", s.apiKey());
    assertTrue(!s.toString().contains("sk-secret"));
    assertEquals("", EngineSettings.from(JSON.readTree("{}"), "http://127.0.0.1:1", k -> null).apiKey());
    assertEquals("sk-default", EngineSettings.from(JSON.readTree("{}"), "http://127.0.0.1:1",
        k -> k.equals(EngineSettings.DEFAULT_KEY_ENV) ? "sk-default" : null).apiKey());
    assertThrows(IllegalArgumentException.class, () -> EngineSettings.of("ftp://127.0.0.1"));
  }

  @Test
  void shouldBuildEmbeddingEngineNamedByConfig() throws Exception {
    assertEquals(null, EngineFactory.createEmbedding(JSON.readTree("{}"), k -> null));
    EmbeddingEngine ollama = EngineFactory.createEmbedding(JSON.readTree("{\"type\":\"ollama\",\"ollama\":"
        + "{\"models\":[\"nomic-embed-text\"]}}"), k -> null);
    assertEquals(java.util.Set.of(Feature.EMBEDDING), ollama.models().getFirst().features());
    EmbeddingEngine openai = EngineFactory.createEmbedding(JSON.readTree("{\"type\":\"openai\",\"openai\":"
        + "{\"models\":[\"text-embedding-3-small\"]}}"), k -> null);
    assertEquals("openai", openai.kind());
    assertEquals(ProcessorException.Code.BAD_REQUEST, assertThrows(ProcessorException.class,
        () -> EngineFactory.createEmbedding(JSON.readTree("{\"type\":\"magic\"}"), k -> null)).code());
    EngineSet set = new EngineSet(new BuiltinEchoEngine(), ollama);
    assertEquals("builtin+ollama", set.kind());
    assertEquals(ollama, set.embeddingFor("nomic-embed-text"));
    assertEquals(2, set.models().size());
  }
}
