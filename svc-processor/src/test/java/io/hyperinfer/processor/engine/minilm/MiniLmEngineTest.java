package io.hyperinfer.processor.engine.minilm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.contract.infer.EmbedRequest;
import io.hyperinfer.processor.ProcessorException;
import io.hyperinfer.processor.engine.CancelSignal;
import io.hyperinfer.processor.engine.Embeddings;
import io.hyperinfer.processor.engine.EngineTesting;
import io.hyperinfer.testkit.Carriers;
import io.hyperinfer.worker.net.NetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded all-MiniLM-L6-v2 on ONNX Runtime, for real. */
class MiniLmEngineTest {
  private final MiniLmEngine engine = new MiniLmEngine();

  @AfterEach
  void close() {
    engine.close();
  }

  private Embeddings embed(String... texts) {
    return engine.embed(new EmbedRequest(MiniLmEngine.MODEL_ID, List.of(texts)), new CancelSignal());
  }

  @Test
  void shouldPlaceParaphrasesCloserThanUnrelatedTextWhenEmbedding() {
    Embeddings e = embed("A cat is sitting on the mat.", "There is a cat on the rug.",
        "Stock markets fell sharply on Monday.", "How do I bake sourdough bread?", "Recipe for a sourdough loaf");
    List<float[]> v = e.vectors();
    assertEquals(MiniLmModel.DIMENSIONS, e.dimensions());
    double cats = Embeddings.cosine(v.get(0), v.get(1));
    double bread = Embeddings.cosine(v.get(3), v.get(4));
    double unrelated = Embeddings.cosine(v.get(0), v.get(2));
    assertTrue(cats > 0.5 && bread > 0.5, "paraphrases: " + cats + ", " + bread);
    assertTrue(unrelated < 0.2, "unrelated: " + unrelated);
    assertTrue(cats - unrelated > 0.4);
    for (float[] x : v) {
      double norm = 0;
      for (float f : x) {
        norm += f * f;
      }
      assertEquals(1.0, Math.sqrt(norm), 1e-4, "unit length");
    }
    assertTrue(e.promptTokens() > 5 * 2, "tokens counted with [CLS]/[SEP]: " + e.promptTokens());
  }

  @Test
  void shouldGiveSameVectorWhetherAloneOrInPaddedBatchWhenBatching() {
    List<String> texts = new ArrayList<>();
    IntStream.range(0, 40).forEach(i -> texts.add("sentence number " + i + " " + "with more words ".repeat(i % 7)));
    Embeddings batch = engine.embed(new EmbedRequest(MiniLmEngine.MODEL_ID, texts), new CancelSignal());
    assertEquals(40, batch.vectors().size());
    for (int i : new int[] {0, 13, 39}) {
      float[] alone = embed(texts.get(i)).vectors().getFirst();
      assertEquals(1.0, Embeddings.cosine(alone, batch.vectors().get(i)), 1e-5,
          "input " + i + " keeps its place and value");
    }
  }

  @Test
  void shouldRefuseInputLongerThanModelTakesInsteadOfCuttingIt() {
    ProcessorException e = assertThrows(ProcessorException.class, () -> embed("ok", "word ".repeat(300)));
    assertEquals(ProcessorException.Code.CONTEXT_LENGTH_EXCEEDED, e.code());
    assertEquals("input", e.param());
    assertTrue(e.getMessage().startsWith("input 1 is"), e.getMessage());
  }

  @Test
  void shouldStopBetweenBatchesWhenCancelled() {
    CancelSignal cancel = new CancelSignal();
    cancel.cancel();
    Embeddings e = engine.embed(new EmbedRequest(MiniLmEngine.MODEL_ID, List.of("a", "b")), cancel);
    assertEquals(List.of(), e.vectors());
  }

  @Test
  void shouldServeOnlyItsOwnModel() {
    assertEquals(List.of("all-minilm-l6-v2:minilm"), EngineTesting.names(engine.models()));
    assertEquals(ProcessorException.Code.MODEL_NOT_FOUND, assertThrows(ProcessorException.class,
        () -> engine.embed(new EmbedRequest("other", List.of("a")), new CancelSignal())).code());
    assertEquals(NetException.ERR_BAD_REQUEST, assertThrows(NetException.class,
        () -> new EmbedRequest("m", List.of(""))).code());
  }

  /**
   * As many embedding calls as the virtual-thread scheduler has carriers, each on a virtual thread as the RPC handlers
   * run them: a fresh virtual thread must run while they compute. Were ONNX Runtime called on those threads, each
   * would pin its carrier inside the JNI call and the fresh thread would wait for a call to end.
   */
  @Test
  @Timeout(60)
  void shouldLetOtherVirtualThreadsRunWhenEveryCarrierHasAnEmbeddingCall() throws Exception {
    List<String> texts = IntStream.range(0, MiniLmEngine.BATCH / 2)
        .mapToObj(i -> "sentence " + i + " " + "with a few more words ".repeat(8)).toList();
    List<CompletableFuture<Embeddings>> calls = Carriers.onEveryCarrier(
        () -> engine.embed(new EmbedRequest(MiniLmEngine.MODEL_ID, texts), new CancelSignal()));
    assertEquals(0L, EngineTesting.doneWhenAFreshVirtualThreadRuns(calls),
        "calls done when a fresh virtual thread ran");
    for (CompletableFuture<Embeddings> c : calls) {
      assertEquals(texts.size(), c.get(30, TimeUnit.SECONDS).vectors().size());
    }
  }

  @Test
  void shouldRefuseWhenClosed() {
    engine.close();
    assertEquals(ProcessorException.Code.ENGINE_UNAVAILABLE, assertThrows(ProcessorException.class,
        () -> embed("a")).code());
  }
}
