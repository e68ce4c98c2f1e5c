package io.hyperinfer.processor.engine;

import java.util.List;

/** What every engine has: a kind, the models it serves now, resources to release. Implementations are thread-safe. */
public interface Engine extends AutoCloseable {
  /** Engine kind for logs and model listings ("builtin", "ollama", "openai", "llama", "minilm"). */
  String kind();

  /** The models this engine serves now, with what each can do. */
  List<ModelInfo> models();

  @Override
  default void close() {}
}
