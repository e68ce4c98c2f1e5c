package io.hyperinfer.protomux;

/** Receives decoded messages of one type. Called with the mux lock held, so it must not block. */
@FunctionalInterface
public interface MessageListener<T> {
  void onMessage(T message, Channel channel);
}
