package io.hyperinfer.processor.engine;

import io.hyperinfer.contract.infer.ToolCall;

/** Receives generated output in order, on the thread that runs the engine: text pieces and tool-call pieces. */
@FunctionalInterface
public interface TokenSink {
  void token(String text);

  /** A piece of a tool call (see {@link ToolCall}); only engines serving {@link Feature#TOOLS} produce them. */
  default void toolCall(ToolCall piece) {
    throw new IllegalStateException("this sink takes text only");
  }
}
