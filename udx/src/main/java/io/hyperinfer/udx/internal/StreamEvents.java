package io.hyperinfer.udx.internal;

import io.hyperinfer.udx.UdxException;

/** What a {@link StreamCore} asks of its environment. Called on the thread that drives the core. */
public interface StreamEvents {
  /** Send {@code len} bytes of {@code datagram} to the stream's remote now; the array is reused after return. */
  void send(byte[] datagram, int len);

  /** In-order stream bytes; the array belongs to the callee. */
  void onData(byte[] data);

  /** The peer's END was reached in order: no more data will arrive. */
  void onEnd();

  /** An unreliable MESSAGE datagram; the array belongs to the callee. */
  void onMessage(byte[] data);

  /** {@code bytes} of written data were acknowledged and left the send buffer. */
  void onAcked(int bytes);

  /** An ack was held back: call {@link StreamCore#flushAck} once the packets that came with this one are processed. */
  void ackDeferred();

  /** The stream closed: {@code error} is null after both ENDs, else why it failed. Called once. */
  void onClose(UdxException error);
}
