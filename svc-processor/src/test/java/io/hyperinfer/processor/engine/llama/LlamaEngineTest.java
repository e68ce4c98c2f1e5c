package io.hyperinfer.processor.engine.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.contract.infer.ResponseFormat;
import io.hyperinfer.contract.infer.Sampling;
import io.hyperinfer.processor.ProcessorException;
import io.hyperinfer.processor.engine.CancelSignal;
import io.hyperinfer.processor.engine.Completion;
import io.hyperinfer.processor.engine.EngineTesting;
import io.hyperinfer.testkit.Carriers;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real llama.cpp inference in-process on a generated tiny GGUF (random weights: the text is noise, but loading,
 * templating, slots, sampling options, grammars and cancellation all run for real).
 */
@Timeout(60)
class LlamaEngineTest {
  /** A template no builtin llama.cpp heuristic knows: only Jinja rendering from the GGUF metadata produces this. */
  static final String TEMPLATE = "{% for m in messages %}<<{{ m.role }}>>{{ m.content }}\n{% endfor %}"
      + "{% if add_generation_prompt %}<<assistant>>{% endif %}";
  @TempDir
  static Path dir;
  private static Path file;
  private static LlamaEngine engine;

  @BeforeAll
  static void load() throws Exception {
    file = TinyGguf.write(dir.resolve("tiny.gguf"), 42, TEMPLATE);
    engine = new LlamaEngine(new LlamaSettings("tiny", file, 512, 2, 0, 0, "layer", "", 0, ""));
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void shouldLoadTheNativeLibraryFromAFolderOfThisProcessWhenNoneIsConfigured() throws Exception {
    Path folder = Path.of(System.getProperty(LlamaEngine.EXTRACTION_FOLDER));
    assertTrue(folder.getFileName().toString().startsWith("hyperinfer-llama-"), folder.toString());
    assertFalse(folder.equals(Path.of(System.getProperty("java.io.tmpdir"))), "not the folder every process shares");
    try (var files = java.nio.file.Files.list(folder)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().contains("llama")), "the library was extracted there");
    }
  }

  private static InferRequest request(int max) {
    return new InferRequest("tiny", List.of(ChatMessage.user("hello world")), max, 0);
  }

  private static InferRequest sampled(int max, Sampling sampling, ResponseFormat format) {
    return EngineTesting.request("tiny", List.of(ChatMessage.user("hello world")), null, max, sampling, List.of(),
        null, format);
  }

  @Test
  void shouldGenerateTokensWhenModelIsLoaded() {
    List<String> pieces = new CopyOnWriteArrayList<>();
    Completion c = engine.stream(request(8), pieces::add, new CancelSignal());
    assertEquals(engine.render(request(8).messages()).length() > 0, c.promptTokens() > 0);
    assertEquals(pieces.size(), c.completionTokens());
    assertTrue(c.completionTokens() <= 8);
    assertEquals(List.of("tiny:llama"), EngineTesting.names(engine.models()));
    assertEquals("llama", engine.kind());
  }

  @Test
  void shouldRenderConversationWithChatTemplateFromGgufMetadata() {
    String prompt = engine.render(List.of(new ChatMessage("system", "be brief"), ChatMessage.user("hi")));
    assertEquals("<<system>>be brief\n<<user>>hi\n<<assistant>>", prompt);
  }

  @Test
  void shouldRunTwoGenerationsAtOnceWhenTwoSlotsAreConfigured() throws Exception {
    CountDownLatch firstHoldsItsSlot = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    var threads = Executors.newVirtualThreadPerTaskExecutor();
    CompletableFuture<Completion> first = CompletableFuture.supplyAsync(() -> engine.stream(request(6), t -> {
      firstHoldsItsSlot.countDown();
      await(release);
    }, new CancelSignal()), threads);
    assertTrue(firstHoldsItsSlot.await(30, TimeUnit.SECONDS));
    // The first generation is mid-stream and its caller blocked: with one lock, this second one could not finish.
    Completion second = CompletableFuture.supplyAsync(() -> engine.stream(request(4), t -> { }, new CancelSignal()),
        threads).get(30, TimeUnit.SECONDS);
    assertFalse(first.isDone());
    release.countDown();
    assertTrue(second.completionTokens() > 0);
    assertTrue(first.get(30, TimeUnit.SECONDS).completionTokens() > 0);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void shouldRefuseBeforeGeneratingWhenPromptAndMaxTokensExceedSlotContext() {
    List<String> pieces = new CopyOnWriteArrayList<>();
    ProcessorException e = assertThrows(ProcessorException.class,
        () -> engine.stream(request(250), pieces::add, new CancelSignal()));
    assertEquals(ProcessorException.Code.CONTEXT_LENGTH_EXCEEDED, e.code());
    assertTrue(e.getMessage().contains("256 tokens per slot"), e.getMessage());
    assertEquals(List.of(), pieces);
    String longPrompt = "hello ".repeat(300);
    assertEquals(ProcessorException.Code.CONTEXT_LENGTH_EXCEEDED, assertThrows(ProcessorException.class,
        () -> engine.stream(InferRequest.completion("tiny", longPrompt, 1, Sampling.DEFAULT), t -> { },
            new CancelSignal())).code());
  }

  @Test
  void shouldHandTheSeedAndSamplingOptionsToLlamaCppWhenTheyAreSet() throws Exception {
    Sampling seeded = new Sampling(1.0, 0.9, 7L, 0.5, 0.5, List.of());
    JsonNode asked = new ObjectMapper().readTree(LlamaEngine.parameters("p", sampled(12, seeded, null)).toString());
    assertEquals(7, asked.path("seed").asInt());
    assertEquals(0.9, asked.path("top_p").asDouble(), 1e-6);
    assertEquals(0.5, asked.path("presence_penalty").asDouble(), 1e-6);
    assertEquals(0.5, asked.path("frequency_penalty").asDouble(), 1e-6);
    assertEquals(12, asked.path("n_predict").asInt());
    // The same seed does not promise the same text here: llama.cpp's server is not deterministic across slots,
    // batches and cached prompts (ggml-org/llama.cpp#7052); this test asserted it and failed about 1 run in 5 under
    // load. What the engine must do is generate with the options, which the real model shows.
    List<String> pieces = new CopyOnWriteArrayList<>();
    engine.stream(sampled(12, seeded, null), pieces::add, new CancelSignal());
    assertFalse(pieces.isEmpty());
  }

  @Test
  void shouldConstrainOutputToJsonWhenResponseFormatAsksForIt() throws Exception {
    List<String> pieces = new CopyOnWriteArrayList<>();
    ResponseFormat schema = new ResponseFormat("json_schema", "flag", new ObjectMapper().readTree(
        "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},\"required\":[\"ok\"]}"));
    Completion c = engine.stream(sampled(64, Sampling.temperature(0.8), schema), pieces::add, new CancelSignal());
    String text = String.join("", pieces).strip();
    assertTrue(text.startsWith("{"), text);
    if (Completion.STOP.equals(c.finishReason())) {
      assertTrue(new ObjectMapper().readTree(text).path("ok").isBoolean(), text);
    }
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

  /**
   * As many generations as the virtual-thread scheduler has carriers, each on a virtual thread as the RPC handlers
   * run them, all mid-stream: a fresh virtual thread must still run (here it cancels them, as a client's cancel
   * would). Were the callers waiting for tokens inside llama.cpp's JNI call, each would pin its carrier and the fresh
   * thread would wait for a generation to end on its own (greedy decoding of this prompt runs 167 tokens).
   */
  @Test
  void shouldLetOtherVirtualThreadsRunWhenEveryCarrierHasAGenerationWaitingForTokens() throws Exception {
    int carriers = Carriers.count();
    try (LlamaEngine wide = new LlamaEngine(new LlamaSettings("tiny", file, 256 * carriers, carriers, 0, 0, "layer",
        "", 0, ""))) {
      CountDownLatch streaming = new CountDownLatch(carriers);
      List<CancelSignal> cancels = new CopyOnWriteArrayList<>();
      List<CompletableFuture<Completion>> generations = new CopyOnWriteArrayList<>();
      for (int i = 0; i < carriers; i++) {
        CancelSignal cancel = new CancelSignal();
        CompletableFuture<Completion> done = new CompletableFuture<>();
        cancels.add(cancel);
        generations.add(done);
        boolean[] first = {true};
        Thread.ofVirtual().start(() -> {
          try {
            done.complete(wide.stream(request(200), t -> {
              if (first[0]) {
                first[0] = false;
                streaming.countDown();
              }
            }, cancel));
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
          }
        });
      }
      assertTrue(streaming.await(30, TimeUnit.SECONDS), "every generation streams");
      Thread.ofVirtual().start(() -> cancels.forEach(CancelSignal::cancel));
      for (CompletableFuture<Completion> g : generations) {
        assertEquals(Completion.CANCELLED, g.get(30, TimeUnit.SECONDS).finishReason(),
            "the fresh virtual thread ran while the generation streamed");
      }
    }
  }

  @Test
  void shouldStopPromptlyWhenCancelledFromAnotherThreadMidStream() throws Exception {
    CancelSignal cancel = new CancelSignal();
    CountDownLatch streaming = new CountDownLatch(1);
    CompletableFuture<Completion> done = CompletableFuture.supplyAsync(
        () -> engine.stream(request(200), t -> streaming.countDown(), cancel),
        Executors.newVirtualThreadPerTaskExecutor());
    assertTrue(streaming.await(30, TimeUnit.SECONDS));
    cancel.cancel();
    // llama.cpp never answers a next() that was waiting when its task was cancelled: the caller must not hang on it
    assertEquals(Completion.CANCELLED, done.get(10, TimeUnit.SECONDS).finishReason());
    assertTrue(engine.stream(request(4), t -> { }, new CancelSignal()).completionTokens() > 0, "the slot is free");
  }

  @Test
  void shouldFailTheGenerationAndRefuseNewOnesWhenClosed() throws Exception {
    LlamaEngine closing = new LlamaEngine(new LlamaSettings("tiny", file, 512, 2, 0, 0, "layer", "", 0, ""));
    CountDownLatch streaming = new CountDownLatch(1);
    CompletableFuture<Completion> done = CompletableFuture.supplyAsync(
        () -> closing.stream(request(200), t -> streaming.countDown(), new CancelSignal()),
        Executors.newVirtualThreadPerTaskExecutor());
    assertTrue(streaming.await(30, TimeUnit.SECONDS));
    closing.close();
    var failure = assertThrows(java.util.concurrent.ExecutionException.class, () -> done.get(10, TimeUnit.SECONDS));
    assertEquals(ProcessorException.Code.ENGINE_UNAVAILABLE, ((ProcessorException) failure.getCause()).code());
    assertEquals(ProcessorException.Code.ENGINE_UNAVAILABLE, assertThrows(ProcessorException.class,
        () -> closing.stream(request(4), t -> { }, new CancelSignal())).code());
  }

  @Test
  void shouldRejectOtherModels() {
    assertEquals(ProcessorException.Code.MODEL_NOT_FOUND, assertThrows(ProcessorException.class,
        () -> engine.stream(request(1).withModel("other"), t -> { }, new CancelSignal())).code());
  }

  @Test
  void shouldPassGpuOffloadAndSlotSettingsToLlamaCpp() {
    LlamaSettings s = new LlamaSettings("m", Path.of("m.gguf"), 8192, 4, 99, 1, "row", "3,1", 6, "");
    List<String> args = Arrays.asList(s.toModelParameters().toArray());
    assertEquals(2048, s.contextPerSlot());
    for (List<String> pair : List.of(List.of("--gpu-layers", "99"), List.of("--main-gpu", "1"),
        List.of("--split-mode", "row"), List.of("--tensor-split", "3,1"), List.of("--parallel", "4"),
        List.of("--ctx-size", "8192"), List.of("--threads", "6"))) {
      int i = args.indexOf(pair.get(0));
      assertTrue(i >= 0 && args.get(i + 1).equalsIgnoreCase(pair.get(1)), pair + " in " + args);
    }
    assertTrue(args.contains("--jinja") && args.contains("--no-context-shift"), args.toString());
  }

  @Test
  void shouldRejectBadSettings() {
    Path f = Path.of("m.gguf");
    assertThrows(IllegalArgumentException.class, () -> new LlamaSettings("m", f, 100, 2, 0, 0, "layer", "", 0, ""));
    assertThrows(IllegalArgumentException.class, () -> new LlamaSettings("m", f, 512, 1, -1, 0, "layer", "", 0, ""));
    assertThrows(IllegalArgumentException.class, () -> new LlamaSettings("m", f, 512, 1, 0, 0, "diagonal", "", 0, ""));
    assertThrows(IllegalArgumentException.class, () -> new LlamaSettings("m", f, 512, 1, 0, 0, "row", "3;1", 0, ""));
    assertEquals("tiny", LlamaSettings.of(Path.of("/x/tiny.gguf")).modelId());
  }
}
