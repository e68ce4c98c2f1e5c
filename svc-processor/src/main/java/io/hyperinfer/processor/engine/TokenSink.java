package io.hyperinfer.processor.engine;

/** Receives generated text pieces in order, on the thread that runs the engine. */
@FunctionalInterface
public interface TokenSink {
  void token(String text);
}
