package io.hyperinfer.client;

import java.util.List;

/** Vectors for the inputs, in input order, the model that made them, and the tokens the inputs took. */
public record EmbeddingResult(String model, List<float[]> vectors, int promptTokens) {
  public EmbeddingResult {
    vectors = List.copyOf(vectors);
  }
}
