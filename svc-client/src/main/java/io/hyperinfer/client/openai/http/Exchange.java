package io.hyperinfer.client.openai.http;

import io.hyperinfer.worker.ops.HttpHead;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * One request and its response on a {@link BoundedHttpServer} connection. The body is read only when asked
 * ({@link #body}), against the body cap, the server's body budget and the body timeout; the response is either whole
 * ({@link #respond}) or streamed in chunks ({@link #stream}, then {@link #endStream}). A response sent before the body
 * was read closes the connection afterwards (what is left of the request is drained, not parsed). Confined to the
 * connection's thread.
 */
public final class Exchange {
  private enum State { NEW, STREAMING, DONE }

  /** Body bytes first made room for; the buffer then doubles as bytes arrive. */
  private static final int FIRST_READ = 64 << 10;

  private final HttpHead head;
  private final ConnectionInput input;
  private final GuardedOutput output;
  private final HttpLimits limits;
  private final BodyBudget budget;
  private final Semaphore inFlight;
  private boolean admitted;
  private final long contentLength;
  private final boolean chunked;
  private final boolean clientKeepsAlive;
  private final Map<String, String> responseHeaders = new LinkedHashMap<>();
  private boolean bodyConsumed;
  private long reserved;
  private boolean closeAfter;
  private State state = State.NEW;
  private OutputStream streamOut;

  Exchange(HttpHead head, ConnectionInput input, GuardedOutput output, HttpLimits limits, BodyBudget budget,
      Semaphore inFlight) {
    this.head = head;
    this.input = input;
    this.output = output;
    this.limits = limits;
    this.budget = budget;
    this.inFlight = inFlight;
    String te = head.headers().get("transfer-encoding");
    String cl = head.headers().get("content-length");
    if (te != null && cl != null) {
      throw new RequestRejected(400, "invalid_request", "both Transfer-Encoding and Content-Length are set");
    }
    if (te != null && !te.equalsIgnoreCase("chunked")) {
      throw new RequestRejected(400, "invalid_request", "Transfer-Encoding '" + te + "' is not supported; use chunked");
    }
    this.chunked = te != null;
    this.contentLength = cl == null ? -1 : parseLength(cl);
    this.bodyConsumed = !chunked && contentLength <= 0;
    if (bodyConsumed) {
      admit();
    }
    String connection = head.headers().getOrDefault("connection", "").toLowerCase(Locale.ROOT);
    this.clientKeepsAlive = head.version().equals("HTTP/1.1") && !connection.contains("close");
  }

  private static long parseLength(String value) {
    if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new RequestRejected(400, "invalid_request", "Content-Length '" + value + "' is not a byte count");
    }
    return Long.parseLong(value);
  }

  public String method() {
    return head.method();
  }

  /** The path, without the query. */
  public String path() {
    return head.path();
  }

  /** The first value of a request header (names are case-insensitive), or null. */
  public String header(String name) {
    return head.headers().get(name.toLowerCase(Locale.ROOT));
  }

  /** Sets a response header for the response not yet started. */
  public void setHeader(String name, String value) {
    responseHeaders.put(name, value);
  }

  /**
   * Counts this request in flight from now to its end, or refuses it with 429: a request without a body is admitted
   * as soon as its head is read, one with a body once the body is read, so a client trickling a body holds a
   * connection and the bytes it sent, never a request slot.
   */
  private void admit() {
    if (!inFlight.tryAcquire()) {
      throw new RequestRejected(429, "rate_limit_exceeded", "more than " + limits.maxInFlight()
          + " requests are in flight; retry shortly", HttpLimits.RETRY_AFTER_SECONDS);
    }
    admitted = true;
  }

  /**
   * The whole request body (empty when there is none). Fails with {@link RequestRejected}: 413 beyond the body cap
   * (at once when Content-Length says so), 429 when the server's body budget cannot hold what arrived (bytes are
   * reserved as they arrive, not as announced) or the requests in flight are at their cap, 408 when the body does not
   * arrive within the body timeout, 400 for bad chunk framing.
   */
  public byte[] body() throws IOException {
    if (!chunked && contentLength <= 0) {
      return new byte[0];
    }
    if (bodyConsumed) {
      throw new IllegalStateException("the body was read already");
    }
    if (contentLength > limits.maxBodyBytes()) {
      throw tooLarge();
    }
    if ("100-continue".equalsIgnoreCase(header("expect"))) {
      output.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      output.flush();
    }
    long deadline = System.nanoTime() + limits.bodyTimeout().toNanos();
    byte[] body = chunked ? readChunked(deadline) : readFixed((int) contentLength, deadline);
    bodyConsumed = true;
    admit();
    return body;
  }

  /** Reads a body of known length into a buffer grown (and reserved) as the bytes arrive. */
  private byte[] readFixed(int length, long deadline) throws IOException {
    byte[] body = new byte[0];
    int size = 0;
    while (size < length) {
      if (size == body.length) {
        int grown = (int) Math.min(length, Math.max(FIRST_READ, 2L * body.length));
        reserve(grown - body.length);
        body = Arrays.copyOf(body, grown);
      }
      size += input.read(body, size, body.length - size, deadline, limits.bodyTimeout().toMillis());
    }
    return body;
  }

  private byte[] readChunked(long deadline) throws IOException {
    long ms = limits.bodyTimeout().toMillis();
    byte[] body = new byte[0];
    int size = 0;
    while (true) {
      String line = input.readLine(64, deadline, ms);
      int semi = line.indexOf(';');
      String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
      if (hex.isEmpty() || hex.length() > 8 || !hex.chars().allMatch(Exchange::isHexDigit)) {
        throw new RequestRejected(400, "invalid_request", "bad chunk size line");
      }
      long chunk = Long.parseLong(hex, 16);
      if (chunk == 0) {
        skipTrailers(deadline, ms);
        return body.length == size ? body : Arrays.copyOf(body, size);
      }
      if (size + chunk > limits.maxBodyBytes()) {
        throw tooLarge();
      }
      for (int end = size + (int) chunk; size < end; ) {
        if (size == body.length) {
          int grown = (int) Math.min(limits.maxBodyBytes(), Math.max(FIRST_READ, 2L * body.length));
          reserve(grown - body.length);
          body = Arrays.copyOf(body, grown);
        }
        size += input.read(body, size, Math.min(end, body.length) - size, deadline, ms);
      }
      if (!input.readLine(2, deadline, ms).isEmpty()) {
        throw new RequestRejected(400, "invalid_request", "a chunk does not end with CRLF");
      }
    }
  }

  private static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private void skipTrailers(long deadline, long ms) throws IOException {
    for (int i = 0; i <= HttpHead.MAX_HEADERS; i++) {
      if (input.readLine(limits.maxHeadBytes(), deadline, ms).isEmpty()) {
        return;
      }
    }
    throw new RequestRejected(431, "request_header_fields_too_large", "more than " + HttpHead.MAX_HEADERS
        + " trailer fields");
  }

  private void reserve(long bytes) {
    if (bytes <= 0) {
      return;
    }
    if (!budget.tryReserve(bytes)) {
      throw new RequestRejected(429, "rate_limit_exceeded", "the endpoint holds as many request bodies as it can; "
          + "retry shortly", HttpLimits.RETRY_AFTER_SECONDS);
    }
    reserved += bytes;
  }

  private RequestRejected tooLarge() {
    return new RequestRejected(413, "request_too_large", "the request body is larger than " + limits.maxBodyBytes()
        + " bytes");
  }

  /** Sends a whole response. */
  public void respond(int status, String contentType, byte[] body) throws IOException {
    begin();
    setHeader("Content-Type", contentType);
    setHeader("Content-Length", String.valueOf(body.length));
    output.write(statusAndHeaders(status));
    output.write(body);
    output.flush();
    state = State.DONE;
  }

  /**
   * Starts a streamed response: the returned stream sends each write as one chunk (HTTP/1.0 clients get the raw bytes
   * and the connection closes at the end). End it with {@link #endStream}.
   */
  public OutputStream stream(int status, String contentType) throws IOException {
    begin();
    setHeader("Content-Type", contentType);
    boolean http11 = head.version().equals("HTTP/1.1");
    if (http11) {
      setHeader("Transfer-Encoding", "chunked");
    } else {
      closeAfter = true;
    }
    output.write(statusAndHeaders(status));
    output.flush();
    state = State.STREAMING;
    streamOut = http11 ? new ChunkedOutput(output) : output;
    return streamOut;
  }

  /** Ends a streamed response. */
  public void endStream() throws IOException {
    if (state != State.STREAMING) {
      throw new IllegalStateException("no stream to end");
    }
    if (streamOut instanceof ChunkedOutput c) {
      c.finish();
    }
    output.flush();
    state = State.DONE;
  }

  private void begin() {
    if (state != State.NEW) {
      throw new IllegalStateException("the response was started already");
    }
    if (!bodyConsumed || !clientKeepsAlive) {
      closeAfter = true;
    }
    if (closeAfter) {
      setHeader("Connection", "close");
    }
  }

  private byte[] statusAndHeaders(int status) {
    StringBuilder s = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(Reasons.of(status))
        .append("\r\n");
    responseHeaders.forEach((k, v) -> s.append(k).append(": ").append(v).append("\r\n"));
    return s.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  boolean started() {
    return state != State.NEW;
  }

  /** Whether the connection can carry another request after this one. */
  boolean reusable() {
    return state == State.DONE && !closeAfter && bodyConsumed;
  }

  /** Whether request bytes may be left unread (the connection must drain before closing). */
  boolean bodyLeft() {
    return !bodyConsumed;
  }

  /** Gives the body budget and the request slot back. */
  void release() {
    budget.release(reserved);
    reserved = 0;
    if (admitted) {
      admitted = false;
      inFlight.release();
    }
  }
}
