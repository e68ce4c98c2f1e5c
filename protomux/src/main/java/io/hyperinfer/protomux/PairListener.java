package io.hyperinfer.protomux;

/**
 * Decides about a remote open for which no local channel is waiting. To accept, call
 * {@link Protomux#createChannel} for the same protocol and id before returning (and {@link Channel#open} now or
 * later); otherwise the mux rejects the open when this returns.
 */
@FunctionalInterface
public interface PairListener {
  void onPair(Protomux mux, String protocol, byte[] id);
}
