package io.hyperinfer.processor.engine.minilm;

import io.hyperinfer.contract.infer.EmbedRequest;
import io.hyperinfer.processor.ProcessorException;
import io.hyperinfer.processor.engine.CancelSignal;
import io.hyperinfer.processor.engine.EmbeddingEngine;
import io.hyperinfer.processor.engine.Embeddings;
import io.hyperinfer.processor.engine.Feature;
import io.hyperinfer.processor.engine.ModelInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.IntStream;

/**
 * The embedded default embedding engine: all-MiniLM-L6-v2 in this process ({@link MiniLmModel}), nothing to install.
 * Inputs are sorted by length and run in batches of {@value #BATCH} so padding stays small; an input longer than
 * {@value MiniLmModel#MAX_TOKENS} tokens is refused (ERR_CONTEXT_LENGTH_EXCEEDED), never cut silently. ONNX
 * Runtime computes a batch inside a JNI call, which a virtual thread cannot leave: it would pin its carrier, and with
 * as many calls as carriers no other virtual thread of the process would run. So batches run on platform threads this
 * engine owns (one per core: more batches at once gain nothing), and the caller parks until its batch is done; {@link
 * #close} stops them. Thread-safe.
 */
public final class MiniLmEngine implements EmbeddingEngine {
  public static final String MODEL_ID = "all-minilm-l6-v2";
  static final int BATCH = 32;

  private final String modelId;
  private final MiniLmModel model;
  private final long created = System.currentTimeMillis() / 1000;
  private final ExecutorService natives = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
      Thread.ofPlatform().name("minilm-", 0).daemon().factory());

  public MiniLmEngine(String modelId) {
    if (modelId == null || modelId.isBlank()) {
      throw new IllegalArgumentException("model id is missing");
    }
    this.modelId = modelId;
    try {
      this.model = MiniLmModel.shared();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw ProcessorException.unavailable("the embedded all-MiniLM-L6-v2 model could not be loaded: "
          + e.getMessage(), e);
    }
  }

  public MiniLmEngine() {
    this(MODEL_ID);
  }

  @Override
  public String kind() {
    return "minilm";
  }

  @Override
  public List<ModelInfo> models() {
    return List.of(new ModelInfo(modelId, kind(), Set.of(Feature.EMBEDDING), created));
  }

  @Override
  public Embeddings embed(EmbedRequest request, CancelSignal cancel) {
    if (!request.model().equals(modelId)) {
      throw ProcessorException.modelNotFound(request.model());
    }
    List<String> inputs = request.inputs();
    long[][] tokens = new long[inputs.size()][];
    int total = 0;
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = model.tokenize(inputs.get(i));
      if (tokens[i].length > MiniLmModel.MAX_TOKENS) {
        throw ProcessorException.contextLength("input " + i + " is " + tokens[i].length + " tokens; " + modelId
            + " takes at most " + MiniLmModel.MAX_TOKENS, "input");
      }
      total += tokens[i].length;
    }
    int[] order = IntStream.range(0, tokens.length).boxed()
        .sorted(Comparator.comparingInt(i -> tokens[i].length)).mapToInt(Integer::intValue).toArray();
    float[][] vectors = new float[tokens.length][];
    for (int from = 0; from < order.length && !cancel.isCancelled(); from += BATCH) {
      int to = Math.min(order.length, from + BATCH);
      long[][] batch = new long[to - from][];
      for (int j = from; j < to; j++) {
        batch[j - from] = tokens[order[j]];
      }
      float[][] out = run(batch);
      for (int j = from; j < to; j++) {
        vectors[order[j]] = out[j - from];
      }
    }
    if (cancel.isCancelled()) {
      return new Embeddings(List.of(), total);
    }
    return new Embeddings(new ArrayList<>(List.of(vectors)), total);
  }

  /** One batch on a pool thread; the caller parks meanwhile. */
  private float[][] run(long[][] batch) {
    Future<float[][]> done;
    try {
      done = natives.submit(() -> model.embed(batch));
    } catch (RejectedExecutionException e) {
      throw ProcessorException.unavailable("the embedding engine is closed", e);
    }
    try {
      return done.get();
    } catch (InterruptedException e) {
      done.cancel(false);
      Thread.currentThread().interrupt();
      throw ProcessorException.failed("interrupted while ONNX Runtime ran");
    } catch (ExecutionException e) {
      throw new ProcessorException(ProcessorException.Code.ENGINE_FAILED, "ONNX Runtime failed: "
          + e.getCause().getMessage(), e.getCause());
    }
  }

  /** Stops the pool: batches already running finish, later calls fail with ERR_ENGINE_UNAVAILABLE. */
  @Override
  public void close() {
    natives.shutdown();
  }
}
