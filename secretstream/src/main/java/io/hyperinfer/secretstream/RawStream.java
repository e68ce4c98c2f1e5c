package io.hyperinfer.secretstream;

import io.hyperinfer.udx.UdxStream;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The reliable, ordered byte stream under a {@link SecretStream}: a TCP socket or a UDX stream.
 * Reads come from one thread; writes are serialised by the secret stream, so implementations need only be safe
 * for one reader and one writer at a time, plus {@link #destroy()} from any thread.
 */
public interface RawStream {
  /** Blocks for at least one byte; returns the count, or -1 once the peer has ended its side. */
  int read(byte[] buffer, int offset, int length) throws IOException;

  /**
   * Writes all bytes. A transport with {@link #awaitWritable} queues them without blocking; others block while
   * they apply backpressure.
   */
  void write(byte[] bytes, int offset, int length) throws IOException;

  /**
   * Blocks while the transport's send backlog is full (never on the transport's own thread). The secret stream
   * calls it before taking its write lock, so a backlogged writer never holds that lock while it waits.
   */
  default void awaitWritable() throws IOException {}

  /** Whether a write now would stay within the transport's backlog. */
  default boolean writable() {
    return true;
  }

  /**
   * Whether received bytes are pushed to a {@link Receiver} on the transport's own thread ({@link #startPushing})
   * instead of read: then the secret stream needs no reader thread.
   */
  default boolean pushes() {
    return false;
  }

  /**
   * Starts pushing: {@code receiver.onStart} first, then the bytes in order, then the end or a failure, all on the
   * transport's thread. Only for transports that {@link #pushes}.
   */
  default void startPushing(Receiver receiver) {
    throw new UnsupportedOperationException("this transport is read, not pushed");
  }

  /**
   * Runs {@code task} on the thread that pushes, in order with what it pushes (now when called there). Only for
   * transports that {@link #pushes}.
   *
   * @throws RuntimeException when that thread has stopped (the transport's socket closed)
   */
  default void runOnReader(Runnable task) {
    throw new UnsupportedOperationException("this transport is read, not pushed");
  }

  /** Holds back (true) or resumes pushing; bytes held back push back on the peer. */
  default void pauseReading(boolean paused) {}

  /** Where a pushing transport delivers; called on the transport's thread, must not block. */
  interface Receiver {
    /** Before any bytes: the reader's side may start (write the first handshake message). */
    void onStart();

    /** The next received bytes in order; the array belongs to the callee. */
    void onBytes(byte[] bytes);

    /** The peer ended its side. */
    void onEnd();

    /** The transport failed (reset, timed out, closed underneath). */
    void onFailure(IOException failure);
  }

  /** Ends our sending side (TCP FIN, UDX END); reading continues. */
  void end() throws IOException;

  /** Aborts both directions at once and unblocks a pending read. Idempotent. */
  void destroy();

  /** Whether {@link #sendDatagram} works (UDX messages); false for TCP. */
  default boolean supportsDatagrams() {
    return false;
  }

  /** Sends one unordered, unreliable datagram alongside the stream. */
  default void sendDatagram(byte[] datagram) throws IOException {
    throw new UnsupportedOperationException("this transport carries no datagrams");
  }

  /** Where incoming datagrams go; transports without datagrams ignore it. */
  default void onDatagram(Consumer<byte[]> listener) {}

  /** A connected TCP socket, with Nagle disabled because each write is one whole frame. */
  static RawStream of(Socket socket) throws IOException {
    return of(socket, Duration.ZERO);
  }

  /**
   * As {@link #of(Socket)}, but a read polls up to {@code readSpin} before it blocks while the peer answers that
   * fast (zero: never): a shorter round trip for CPU burnt while waiting. Worth it only where a core is free for the
   * reader; on a machine whose cores are all busy the spinning delays the very threads it waits for.
   */
  static RawStream of(Socket socket, Duration readSpin) throws IOException {
    return new SocketRawStream(socket, readSpin);
  }

  /**
   * A connected UDX stream: end is UDX END, destroy sends DESTROY, datagrams are UDX MESSAGE packets (so
   * {@link SecretStream#send} works). Its bytes are pushed on the UDX loop thread, so the secret stream runs its
   * reading side there (no reader thread) and every listener callback must return quickly and never block.
   */
  static RawStream of(UdxStream stream) {
    return new UdxRawStream(stream);
  }
}
