package io.hyperinfer.processor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.processor.ProcessorException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real llama.cpp inference in-process on a generated tiny GGUF (random weights: the text is noise). */
@Timeout(60)
class LlamaEngineTest {
  @TempDir
  static Path dir;
  private static LlamaEngine engine;

  @BeforeAll
  static void load() throws Exception {
    Path file = TinyGguf.write(dir.resolve("tiny.gguf"), 42);
    engine = new LlamaEngine("tiny", file, 256);
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private static InferRequest request(int max) {
    return new InferRequest("tiny", List.of(ChatMessage.user("hello world")), max, 0);
  }

  @Test
  void shouldGenerateTokensWhenModelIsLoaded() {
    List<String> pieces = new CopyOnWriteArrayList<>();
    Completion c = engine.stream(request(8), pieces::add, new CancelSignal());
    assertTrue(c.promptTokens() > 0);
    assertEquals(pieces.size(), c.completionTokens());
    assertTrue(c.completionTokens() <= 8);
    assertEquals(List.of(new ModelInfo("tiny", "llama")), engine.models());
    assertEquals("llama", engine.kind());
  }

  @Test
  void shouldStopWhenCancelled() {
    CancelSignal cancel = new CancelSignal();
    List<String> pieces = new CopyOnWriteArrayList<>();
    Completion c = engine.stream(request(200), t -> {
      pieces.add(t);
      cancel.cancel();
    }, cancel);
    assertTrue(pieces.size() <= 2, "stopped right after cancel: " + pieces.size());
    assertEquals(c.completionTokens() == 0 ? c.finishReason() : Completion.CANCELLED, c.finishReason());
  }

  @Test
  void shouldRejectOtherModels() {
    assertEquals(ProcessorException.Code.MODEL_NOT_FOUND, assertThrows(ProcessorException.class,
        () -> engine.stream(request(1).withModel("other"), t -> { }, new CancelSignal())).code());
  }
}
