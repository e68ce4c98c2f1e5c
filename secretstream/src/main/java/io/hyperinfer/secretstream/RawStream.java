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

  /** Writes all bytes, blocking while the transport applies backpressure. */
  void write(byte[] bytes, int offset, int length) throws IOException;

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
   * {@link SecretStream#send} works). Unordered messages reach the listener on the UDX socket's loop thread, where
   * {@code onUnorderedMessage} must return quickly and never block.
   */
  static RawStream of(UdxStream stream) {
    return new UdxRawStream(stream);
  }
}
