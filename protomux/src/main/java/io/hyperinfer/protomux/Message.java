package io.hyperinfer.protomux;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;

/** One message type of a {@link Channel}. Thread-safe through the mux lock. */
public final class Message<T> {
  private final Channel channel;
  private final long type;
  private final Codec<T> codec;
  private final MessageListener<T> listener;

  Message(Channel channel, long type, Codec<T> codec, MessageListener<T> listener) {
    this.channel = channel;
    this.type = type;
    this.codec = codec;
    this.listener = listener;
  }

  /** The wire type: the index of this message in the channel. */
  public long type() {
    return type;
  }

  /**
   * Sends {@code value} (batched while corked).
   *
   * @return false when the channel is closed or the transport wants to drain first
   */
  public boolean send(T value) {
    synchronized (channel.mux()) {
      return channel.send(type, codec, value);
    }
  }

  void receive(Buf payload) {
    if (listener != null) {
      listener.onMessage(codec.decode(payload), channel);
    }
  }
}
