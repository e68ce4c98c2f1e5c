package io.hyperinfer.client.openai.http;

import io.hyperinfer.worker.ops.HttpHead;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of a {@link BoundedHttpServer}: requests one after another (keep-alive) until the client
 * closes, stays idle past the idle timeout, or a request cannot leave the connection clean (a refusal, a body left
 * unread, a failure). The first request must start within the head timeout. Confined to its virtual thread, except
 * {@link #abort} and {@link #writeBlockedSinceNs} (the watchdog, and the server's close).
 */
final class HttpConnection {
  private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);

  private final BoundedHttpServer server;
  private final HttpLimits limits;
  private final Socket socket;
  private final GuardedOutput output;
  private final AtomicBoolean aborted = new AtomicBoolean();

  HttpConnection(BoundedHttpServer server, Socket socket) throws IOException {
    this.server = server;
    this.limits = server.limits;
    this.socket = socket;
    this.output = new GuardedOutput(socket.getOutputStream());
  }

  long writeBlockedSinceNs() {
    return output.blockedSinceNs();
  }

  /**
   * Closes the socket under whatever the connection's thread is doing; it then fails with an IOException. True the
   * first time only: the connection stays open to the watchdog until its thread has run again, which under load can
   * take longer than a watchdog tick, and it must not be counted as cut off twice.
   */
  boolean abort() {
    if (!aborted.compareAndSet(false, true)) {
      return false;
    }
    BoundedHttpServer.closeQuietly(socket);
    return true;
  }

  void run() {
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.setSendBufferSize(limits.sendBufferBytes());
      ConnectionInput input = new ConnectionInput(socket, limits.maxHeadBytes());
      long wait = limits.headTimeout().toNanos();
      while (!server.closed() && input.awaitRequest(wait)) {
        if (!serveOne(input, System.nanoTime() + limits.headTimeout().toNanos())) {
          return;
        }
        wait = limits.idleTimeout().toNanos();
      }
    } catch (IOException e) {
      LOG.debug("OpenAI endpoint connection ended: {}", e.toString());
    }
  }

  /** Serves one request; true when the connection can carry the next one. */
  private boolean serveOne(ConnectionInput input, long headDeadline) throws IOException {
    Exchange ex = null;
    try {
      HttpHead head = input.readHead(headDeadline, limits.headTimeout().toMillis());
      ex = new Exchange(head, input, output, limits, server.budget, server.inFlight);
      server.handler.handle(ex);
      if (!ex.started()) {
        throw new IllegalStateException("the handler sent no response");
      }
      if (ex.reusable()) {
        return true;
      }
      if (ex.bodyLeft()) {
        ex.release();
        linger(input);
      }
      return false;
    } catch (RequestRejected r) {
      server.countRefusal(r.status());
      if (ex == null || !ex.started()) {
        writeRefusal(output, server.errorPage, r);
        if (ex != null) {
          ex.release();
        }
        linger(input);
      }
      return false;
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) { // a handler bug, an Error included: answer 500 if still possible, drop the connection
      LOG.warn("OpenAI endpoint request failed", t);
      if (ex != null && !ex.started()) {
        writeRefusal(output, server.errorPage, new RequestRejected(500, "server_error", "the endpoint failed: "
            + t.getClass().getSimpleName()));
      }
      return false;
    } finally {
      if (ex != null) {
        ex.release();
      }
    }
  }

  /** Ends our side, then reads and drops what the client still sends for a while, so it sees our answer. */
  private void linger(ConnectionInput input) {
    try {
      output.flush();
      socket.shutdownOutput();
    } catch (IOException e) {
      return;
    }
    input.drain(BoundedHttpServer.LINGER_BYTES, System.nanoTime()
        + TimeUnit.MILLISECONDS.toNanos(BoundedHttpServer.LINGER_MS));
  }

  /** Answers a connection over the connection cap and closes it, without reading anything. */
  static void refuseAndClose(Socket client, BoundedHttpServer.ErrorPage page, RequestRejected r) {
    try (client) {
      OutputStream out = client.getOutputStream();
      writeRefusal(out, page, r);
    } catch (IOException e) {
      LOG.debug("could not refuse a connection: {}", e.toString());
    }
  }

  private static void writeRefusal(OutputStream out, BoundedHttpServer.ErrorPage page, RequestRejected r)
      throws IOException {
    byte[] body = page.json(r.status(), r.code(), r.getMessage());
    String head = "HTTP/1.1 " + r.status() + " " + Reasons.of(r.status()) + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + (r.retryAfterSeconds() > 0 ? "Retry-After: " + r.retryAfterSeconds() + "\r\n" : "")
        + "Connection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }
}
