package io.hyperinfer.processor.engine;

import io.hyperinfer.contract.infer.InferRequest;

/**
 * A source of generated text: a local model, a local server (Ollama) or any OpenAI-compatible server. Implementations
 * are thread-safe; {@link #stream} blocks the calling (virtual) thread until the generation ends, parked: a wait
 * inside native code (JNI, FFM) would pin the virtual thread's carrier, so such waits belong on the engine's own
 * platform threads.
 */
public interface InferenceEngine extends Engine {
  /**
   * Generates for {@code request}, handing each text or tool-call piece to {@code sink} as it is produced. The caller
   * has checked the request's features against the model ({@link Feature#requireSupported}). Returns
   * normally with finish reason {@code cancelled} when {@code cancel} fires; throws {@link
   * io.hyperinfer.processor.ProcessorException} on failure.
   */
  Completion stream(InferRequest request, TokenSink sink, CancelSignal cancel);
}
