package io.hyperinfer.client;

/** Receives answer text as it streams, in order. Called on a network thread; keep it short. */
@FunctionalInterface
public interface TokenListener {
  void onToken(String text);
}
