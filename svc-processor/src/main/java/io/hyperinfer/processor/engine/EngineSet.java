package io.hyperinfer.processor.engine;

import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.processor.ProcessorException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engines of one processor: one generating engine and, optionally, one embedding engine, with the models each
 * serves. A model id names one model; when both engines list the same id the generating engine's entry wins.
 * Immutable after construction; thread-safe.
 */
public final class EngineSet implements AutoCloseable {
  private final InferenceEngine generation;
  private final EmbeddingEngine embedding;
  private final Map<String, ModelInfo> models = new LinkedHashMap<>();

  public EngineSet(InferenceEngine generation, EmbeddingEngine embedding) {
    this.generation = generation;
    this.embedding = embedding;
    generation.models().forEach(m -> models.put(m.id(), m));
    if (embedding != null) {
      embedding.models().forEach(m -> models.putIfAbsent(m.id(), m));
    }
  }

  public List<ModelInfo> models() {
    return new ArrayList<>(models.values());
  }

  /** Kinds of the engines, e.g. "builtin" or "builtin+minilm". */
  public String kind() {
    return embedding == null ? generation.kind() : generation.kind() + "+" + embedding.kind();
  }

  /** The model, checked for {@code request}'s features: ERR_MODEL_NOT_FOUND or ERR_UNSUPPORTED otherwise. */
  public InferenceEngine generationFor(InferRequest request) {
    ModelInfo m = find(request.model());
    Feature.requireSupported(request, m);
    return generation;
  }

  /** The embedding engine serving {@code model}: ERR_MODEL_NOT_FOUND or ERR_UNSUPPORTED otherwise. */
  public EmbeddingEngine embeddingFor(String model) {
    ModelInfo m = find(model);
    if (!m.can(Feature.EMBEDDING) || embedding == null) {
      throw ProcessorException.unsupported("model", "model '" + model + "' (" + m.engine()
          + " engine) does not make embeddings");
    }
    return embedding;
  }

  private ModelInfo find(String model) {
    ModelInfo m = models.get(model);
    if (m == null) {
      throw ProcessorException.modelNotFound(model);
    }
    return m;
  }

  @Override
  public void close() {
    generation.close();
    if (embedding != null) {
      embedding.close();
    }
  }
}
