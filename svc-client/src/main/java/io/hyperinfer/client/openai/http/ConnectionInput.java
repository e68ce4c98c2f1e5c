package io.hyperinfer.client.openai.http;

import io.hyperinfer.worker.ops.HttpHead;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * What a connection reads, through one buffer of {@code maxHeadBytes}: request heads, body bytes and chunk lines,
 * each read against a deadline (the socket's read timeout is set to what is left before every read, so a client
 * trickling a byte at a time is still cut off on time). Bytes read past a head stay buffered for the body or the next
 * request. Confined to the connection's thread.
 */
final class ConnectionInput {
  /** Sets the read timeout of what is read from (a socket's {@code setSoTimeout}). */
  interface ReadTimeout {
    void set(int ms) throws IOException;
  }

  private final InputStream in;
  private final ReadTimeout timeout;
  private final byte[] buf;
  private int pos;
  private int lim;

  ConnectionInput(Socket socket, int maxHeadBytes) throws IOException {
    this(socket.getInputStream(), socket::setSoTimeout, maxHeadBytes);
  }

  ConnectionInput(InputStream in, ReadTimeout timeout, int maxHeadBytes) {
    this.in = in;
    this.timeout = timeout;
    this.buf = new byte[maxHeadBytes];
  }

  /**
   * Waits up to {@code idleNs} for the first byte of a next request: false when the client closed the connection or
   * sent nothing in time (an idle keep-alive connection, closed without an answer).
   */
  boolean awaitRequest(long idleNs) throws IOException {
    if (pos < lim) {
      return true;
    }
    pos = 0;
    lim = 0;
    try {
      return fill(System.nanoTime() + idleNs) > 0;
    } catch (SocketTimeoutException | EOFException e) {
      return false;
    }
  }

  /** Reads and parses one request head, which must end before {@code deadlineNs}. */
  HttpHead readHead(long deadlineNs, long timeoutMs) throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    int scanned = 0;
    while (true) {
      int end = HttpHead.headEnd(buf, scanned, lim);
      if (end >= 0) {
        pos = end;
        try {
          return HttpHead.parse(buf, end);
        } catch (HttpHead.Malformed e) {
          throw new RequestRejected(400, "invalid_request", "bad request head: " + e.getMessage());
        }
      }
      scanned = lim;
      if (lim == buf.length) {
        throw new RequestRejected(431, "request_header_fields_too_large", "the request line and headers are larger "
            + "than " + buf.length + " bytes");
      }
      try {
        fill(deadlineNs);
      } catch (SocketTimeoutException e) {
        throw new RequestRejected(408, "request_timeout", "the request head did not arrive within " + timeoutMs
            + " ms");
      }
    }
  }

  /** Reads up to {@code len} body bytes into {@code dst}, at least one, before {@code deadlineNs}. */
  int read(byte[] dst, int off, int len, long deadlineNs, long timeoutMs) throws IOException {
    if (pos == lim) {
      pos = 0;
      lim = 0;
      try {
        fill(deadlineNs);
      } catch (SocketTimeoutException e) {
        throw new RequestRejected(408, "request_timeout", "the request body did not arrive within " + timeoutMs
            + " ms");
      }
    }
    int n = Math.min(len, lim - pos);
    System.arraycopy(buf, pos, dst, off, n);
    pos += n;
    return n;
  }

  /** Reads one CRLF- or LF-ended line of at most {@code max} bytes (a chunk size or trailer), without its ending. */
  String readLine(int max, long deadlineNs, long timeoutMs) throws IOException {
    StringBuilder line = new StringBuilder();
    byte[] one = new byte[1];
    while (true) {
      read(one, 0, 1, deadlineNs, timeoutMs);
      if (one[0] == '\n') {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
      }
      if (line.length() == max) {
        throw new RequestRejected(400, "invalid_request", "a chunk line is longer than " + max + " bytes");
      }
      line.append((char) (one[0] & 0xff));
    }
  }

  /** Reads and drops what the client still sends, at most {@code maxBytes}, until {@code deadlineNs} or its end. */
  void drain(long maxBytes, long deadlineNs) {
    byte[] scratch = new byte[8192];
    long left = maxBytes;
    try {
      while (left > 0) {
        long wait = deadlineNs - System.nanoTime();
        if (wait <= 0) {
          return;
        }
        timeout.set((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
        int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
        if (n < 0) {
          return;
        }
        left -= n;
      }
    } catch (IOException e) {
      // the client is gone or too slow: either way nothing more is read
    }
  }

  /** Reads what has arrived into the free end of the buffer, waiting until {@code deadlineNs}. */
  private int fill(long deadlineNs) throws IOException {
    long wait = deadlineNs - System.nanoTime();
    if (wait <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    timeout.set((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(wait))));
    int n = in.read(buf, lim, buf.length - lim);
    if (n < 0) {
      throw new EOFException("the client closed the connection");
    }
    lim += n;
    return n;
  }
}
