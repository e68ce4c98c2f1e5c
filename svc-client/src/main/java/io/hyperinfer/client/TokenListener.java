package io.hyperinfer.client;

import io.hyperinfer.contract.infer.ToolCall;

/** Receives answer text (and tool-call pieces) as it streams, in order. Called on a network thread; keep it short. */
@FunctionalInterface
public interface TokenListener {
  void onToken(String text);

  /** A piece of a tool call; by default ignored (the whole calls are in the {@link Answer}). */
  default void onToolCall(ToolCall piece) {}
}
