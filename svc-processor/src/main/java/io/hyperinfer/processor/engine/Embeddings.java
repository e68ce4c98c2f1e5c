package io.hyperinfer.processor.engine;

import java.util.List;

/** One vector per input, in input order, and the tokens the inputs took. */
public record Embeddings(List<float[]> vectors, int promptTokens) {
  public Embeddings {
    vectors = List.copyOf(vectors);
  }

  /** Cosine similarity of two vectors of the same length. */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  public int dimensions() {
    return vectors.isEmpty() ? 0 : vectors.getFirst().length;
  }
}
