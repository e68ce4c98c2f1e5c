package io.hyperinfer.udx;

/**
 * Receives a stream's bytes on its loop thread instead of {@link UdxStream#read}: the chunks in order, then
 * {@link #onEnd} if the peer ended, then {@link #onClose} once. The JS shape ({@code on('data')}): the bytes reach the
 * consumer on the thread that received them, with no hand-off. Calls must return quickly and never block; a
 * {@link UdxStream#write} made here never blocks. A listener that throws destroys the stream.
 */
public interface StreamListener {
  /** The next in-order bytes; the array belongs to the callee. */
  void onData(UdxStream stream, byte[] data);

  /** The peer ended its side: every byte it sent was delivered. We may still write. */
  default void onEnd(UdxStream stream) {}

  /** The stream closed: {@code error} is null after both sides ended (or a local destroy), else why it failed. */
  default void onClose(UdxStream stream, UdxException error) {}
}
