package io.hyperinfer.processor.engine;

import io.hyperinfer.contract.infer.EmbedRequest;

/**
 * Turns texts into vectors. Implementations are thread-safe; {@link #embed} blocks the calling (virtual) thread,
 * parked: native computation (JNI, FFM) runs on the engine's own platform threads, where it pins no carrier.
 */
public interface EmbeddingEngine extends Engine {
  /**
   * One vector per input, in order. Throws {@link io.hyperinfer.processor.ProcessorException} on failure (ERR_CANCELLED
   * is never thrown: a cancelled call returns whatever it has and the caller discards it).
   */
  Embeddings embed(EmbedRequest request, CancelSignal cancel);
}
