package io.hyperinfer.secretstream;

import io.hyperinfer.udx.StreamListener;
import io.hyperinfer.udx.UdxException;
import io.hyperinfer.udx.UdxLoop;
import io.hyperinfer.udx.UdxStream;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * A connected UDX stream as a {@link RawStream}: bytes are the reliable stream, datagrams are UDX MESSAGE packets.
 * It pushes: received bytes go to the secret stream on the UDX loop thread, as in JS, so a message is decrypted and
 * handed on where it arrived, with no thread hand-off. Writes queue without blocking; {@link #awaitWritable} holds a
 * writer back while 4 MiB are unacked. Every {@link UdxException} becomes an {@link IOException} carrying it, so a
 * reset or destroyed stream fails the reader (as a reset TCP socket does) and only the peer's END is the end.
 * Thread-safe, as {@link UdxStream} is.
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
      stream.writeQueued(bytes, offset, length);
    } catch (UdxException e) {
      throw failed("write", e);
    }
  }

  @Override
  public void awaitWritable() {
    stream.awaitWritable();
  }

  @Override
  public boolean writable() {
    return stream.writable();
  }

  @Override
  public boolean pushes() {
    return true;
  }

  @Override
  public void startPushing(Receiver receiver) {
    UdxLoop loop = stream.loop();
    if (loop == null) {
      throw new IllegalStateException("the UDX stream must be connected first");
    }
    loop.execute(() -> {
      receiver.onStart();
      stream.listener(new StreamListener() {
        @Override
        public void onData(UdxStream s, byte[] data) {
          receiver.onBytes(data);
        }

        @Override
        public void onEnd(UdxStream s) {
          remoteEnded = true;
          receiver.onEnd();
        }

        @Override
        public void onClose(UdxStream s, UdxException error) {
          if (error != null) {
            receiver.onFailure(failed("read", error));
          }
        }
      });
    });
  }

  @Override
  public void runOnReader(Runnable task) {
    stream.loop().execute(task);
  }

  @Override
  public void pauseReading(boolean paused) {
    if (paused) {
      stream.pause();
    } else {
      stream.resume();
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
   * included, but once both ENDs are out the UDX stream closes by itself when our END is acked (JS leaves it to do
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
