package io.hyperinfer.client.openai.http;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A connection's output with a write deadline: every write and flush records when it started, and the server's
 * watchdog closes the socket of one blocked longer than the write timeout (a client that stopped reading), so the
 * blocked writer fails with an IOException instead of waiting forever. Buffers {@value #BUFFER} bytes before the
 * socket. Written by the connection's thread; {@link #blockedSinceNs} read by the watchdog.
 */
final class GuardedOutput extends OutputStream {
  static final int BUFFER = 8192;

  private final BufferedOutputStream out;
  private volatile long blockedSinceNs;

  GuardedOutput(OutputStream socketOut) {
    this.out = new BufferedOutputStream(socketOut, BUFFER);
  }

  /** When the write in progress started, or 0 when none is. */
  long blockedSinceNs() {
    return blockedSinceNs;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    start();
    try {
      out.write(b, off, len);
    } finally {
      blockedSinceNs = 0;
    }
  }

  @Override
  public void flush() throws IOException {
    start();
    try {
      out.flush();
    } finally {
      blockedSinceNs = 0;
    }
  }

  private void start() {
    long now = System.nanoTime();
    blockedSinceNs = now == 0 ? 1 : now;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
