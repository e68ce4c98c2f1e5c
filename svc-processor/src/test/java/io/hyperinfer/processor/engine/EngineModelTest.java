package io.hyperinfer.processor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.processor.ProcessorException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EngineModelTest {
  private static final ObjectMapper JSON = new ObjectMapper();

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
    assertEquals(List.of(new ModelInfo("llama3", "ollama")), ollama.models());
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
}
