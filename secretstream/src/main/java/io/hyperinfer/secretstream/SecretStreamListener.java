package io.hyperinfer.secretstream;

/**
 * Callbacks from a {@link SecretStream}'s reading side, in stream order, except unordered messages (see
 * {@link #onUnorderedMessage}). Over TCP they run on the stream's reader thread; over UDX on the UDX loop thread,
 * where they must return quickly and never block (write with {@link SecretStream#tryWrite} or from another thread;
 * pause with {@link SecretStream#setReadPaused}). A slow callback holds back reading, which pushes back on the peer.
 */
public interface SecretStreamListener {
  /** The handshake finished; {@code write} no longer waits. */
  default void onOpen(SecretStream stream) {}

  /** One whole message, exactly as the peer wrote it. */
  void onMessage(SecretStream stream, byte[] message);

  /**
   * Every message of one read from the raw stream has been delivered: a listener that held back its replies while
   * messages kept coming may now write them together.
   */
  default void onReadComplete(SecretStream stream) {}

  /**
   * An unordered message (UDX datagrams only; never on TCP), already authenticated. Called on the transport's
   * datagram thread, not the reader thread: over UDX that is the socket's loop, so return quickly and never block
   * there (a blocking {@code write} would wait for acks that only that thread can process).
   */
  default void onUnorderedMessage(SecretStream stream, byte[] message) {}

  /** The peer ended its side; no more messages follow, but we may still write until we {@code end()}. */
  default void onEnd(SecretStream stream) {}

  /** The stream is closed; {@code error} is null after a clean end from both sides or a plain destroy. */
  default void onClose(SecretStream stream, Throwable error) {}
}
