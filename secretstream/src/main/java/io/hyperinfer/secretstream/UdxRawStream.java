package io.hyperinfer.secretstream;

import io.hyperinfer.udx.UdxException;
import io.hyperinfer.udx.UdxStream;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * A connected UDX stream as a {@link RawStream}: bytes are the reliable stream, datagrams are UDX MESSAGE packets.
 * Every {@link UdxException} becomes an {@link IOException} carrying it, so a reset or destroyed stream makes
 * {@code read} throw (as a reset TCP socket does) and only the peer's END reads as -1. Thread-safe, as
 * {@link UdxStream} is.
 *
 * <p>Datagram listeners run on the UDX socket's loop thread, which must never block.
 */
final class UdxRawStream implements RawStream {
  private final UdxStream stream;
  private volatile boolean localEnded;
  private volatile boolean remoteEnded;

  UdxRawStream(UdxStream stream) {
    this.stream = stream;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    try {
      int n = stream.read(buffer, offset, length);
      if (n < 0) {
        remoteEnded = true;
      }
      return n;
    } catch (UdxException e) {
      throw failed("read", e);
    }
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    try {
      stream.write(bytes, offset, length);
    } catch (UdxException e) {
      throw failed("write", e);
    }
  }

  @Override
  public void end() throws IOException {
    localEnded = true;
    try {
      stream.end();
    } catch (UdxException e) {
      throw failed("end", e);
    }
  }

  /**
   * Sends DESTROY unless both sides have ended. A secret stream destroys its raw stream on every close, clean ones
   * included, but once both ENDs are out the UDX stream closes by itself when ours is acked (JS leaves it to do
   * so); a DESTROY then could reach the peer before our END and turn its clean end into ECONNRESET.
   */
  @Override
  public void destroy() {
    if (localEnded && remoteEnded) {
      return;
    }
    try {
      stream.destroy();
    } catch (UdxException e) {
      // the socket is already closed, which has failed the stream: nothing is left to abort
    }
  }

  @Override
  public boolean supportsDatagrams() {
    return true;
  }

  @Override
  public void sendDatagram(byte[] datagram) throws IOException {
    try {
      stream.send(datagram);
    } catch (UdxException e) {
      throw failed("send", e);
    }
  }

  @Override
  public void onDatagram(Consumer<byte[]> listener) {
    stream.onMessage((s, message) -> listener.accept(message));
  }

  private static IOException failed(String operation, UdxException e) {
    return new IOException("udx " + operation + " failed: " + e.code() + " " + e.getMessage(), e);
  }

  @Override
  public String toString() {
    return "udx " + Integer.toUnsignedString(stream.id()) + " -> " + Integer.toUnsignedString(stream.remoteId())
        + "@" + stream.remoteAddress();
  }
}
