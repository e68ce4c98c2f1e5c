package io.hyperinfer.processor.engine;

import io.hyperinfer.contract.infer.InferRequest;
import java.util.List;

/**
 * A source of generated text: a local model, a local server (Ollama) or any OpenAI-compatible server. Implementations
 * are thread-safe; {@link #stream} blocks the calling (virtual) thread until the generation ends.
 */
public interface InferenceEngine extends AutoCloseable {
  /** Engine kind for logs and model listings ("builtin", "ollama", "openai", "llama"). */
  String kind();

  /** The models this engine serves now. */
  List<ModelInfo> models();

  /**
   * Generates for {@code request}, handing each text piece to {@code sink} as it is produced. Returns normally with
   * finish reason {@code cancelled} when {@code cancel} fires; throws {@link io.hyperinfer.processor.ProcessorException}
   * on failure.
   */
  Completion stream(InferRequest request, TokenSink sink, CancelSignal cancel);

  @Override
  default void close() {}
}
