package io.hyperinfer.processor.bench;

import io.hyperinfer.contract.infer.EmbedRequest;
import io.hyperinfer.processor.engine.CancelSignal;
import io.hyperinfer.processor.engine.minilm.MiniLmEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Load generator (a plain main, not a test): texts per second of the embedded all-MiniLM-L6-v2 on ONNX Runtime, one
 * request at a time, for each batch size given. Texts are seeded sentences of 8 to 24 words (about 12 to 35 tokens).
 * Args: [seconds per batch size] [batch sizes...], default 10 s for batches 1 and 32.
 */
public final class EmbeddingThroughput {
  private static final String[] WORDS = ("the a network model answer question peer key gateway processor stream token "
      + "embedding vector cat dog house river mountain market price rises falls quickly slowly today yesterday "
      + "because although while people build small large fast secure open local remote").split(" ");

  private EmbeddingThroughput() {}

  public static void main(String[] args) {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    List<Integer> batches = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      batches.add(Integer.parseInt(args[i]));
    }
    if (batches.isEmpty()) {
      batches = List.of(1, 32);
    }
    MiniLmEngine engine = new MiniLmEngine();
    SplittableRandom random = new SplittableRandom(15);
    run(engine, random, 32, 3, "warm-up");
    for (int batch : batches) {
      run(engine, random, batch, seconds, "batch " + batch);
    }
  }

  private static void run(MiniLmEngine engine, SplittableRandom random, int batch, int seconds, String label) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long start = System.nanoTime();
    long texts = 0;
    long tokens = 0;
    int requests = 0;
    while (System.nanoTime() < end) {
      List<String> inputs = new ArrayList<>(batch);
      for (int i = 0; i < batch; i++) {
        inputs.add(sentence(random));
      }
      tokens += engine.embed(new EmbedRequest(MiniLmEngine.MODEL_ID, inputs), new CancelSignal()).promptTokens();
      texts += batch;
      requests++;
    }
    double s = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "%-8s %8.1f texts/s  %9.1f tokens/s  %7.2f ms/request  (%d requests, %.1f s)%n",
        label, texts / s, tokens / s, s * 1000 / requests, requests, s);
  }

  private static String sentence(SplittableRandom random) {
    int n = random.nextInt(8, 25);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return sb.append('.').toString();
  }
}
