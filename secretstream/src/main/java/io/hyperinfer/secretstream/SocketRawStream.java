package io.hyperinfer.secretstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** A TCP socket as a {@link RawStream}: end is shutdownOutput, destroy is close. One reader, one writer. */
final class SocketRawStream implements RawStream {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  SocketRawStream(Socket socket) throws IOException {
    this.socket = socket;
    socket.setTcpNoDelay(true);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    return in.read(buffer, offset, length);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    out.write(bytes, offset, length);
  }

  @Override
  public void end() throws IOException {
    if (!socket.isOutputShutdown() && !socket.isClosed()) {
      socket.shutdownOutput();
    }
  }

  @Override
  public void destroy() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is best effort: the socket is unusable either way
    }
  }

  @Override
  public String toString() {
    return "tcp " + socket.getLocalSocketAddress() + " -> " + socket.getRemoteSocketAddress();
  }
}
