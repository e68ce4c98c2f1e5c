package io.hyperinfer.processor.engine;

import java.util.EnumSet;
import java.util.Set;

/**
 * A model an engine can serve: its id, the engine kind ("ollama", "openai", "llama", "builtin", "minilm"), what it can
 * do, and when it was created (Unix seconds: as its server reports it, else when this engine started serving it).
 */
public record ModelInfo(String id, String engine, Set<Feature> features, long created) {
  public ModelInfo {
    features = features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
  }

  public boolean can(Feature f) {
    return features.contains(f);
  }
}
