package io.hyperinfer.client.openai.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server with explicit bounds ({@link HttpLimits}) for the local OpenAI endpoint: keep-alive,
 * Content-Length and chunked request bodies, whole and chunked (SSE) responses. One virtual thread per connection,
 * at most {@code maxConnections} of them; at most {@code maxInFlight} requests handled at once; heads, bodies and idle
 * connections on deadlines; a watchdog closes a connection whose write has blocked past the write timeout. What the
 * server refuses itself (400, 408, 413, 429, 431, 503) is answered with the {@link ErrorPage}'s JSON and the
 * connection closed after the client's leftover bytes are drained for at most {@value #LINGER_MS} ms, so a client
 * still sending reads the answer instead of a reset. Thread-safe.
 */
public final class BoundedHttpServer implements AutoCloseable {
  /** Handles one request; runs on the connection's virtual thread and may block. */
  public interface Handler {
    void handle(Exchange exchange) throws IOException;
  }

  /** The JSON body of a refusal the server answers itself. */
  public interface ErrorPage {
    byte[] json(int status, String code, String message);
  }

  static final long LINGER_MS = 2000;
  static final long LINGER_BYTES = 64L << 20;
  private static final Logger LOG = LoggerFactory.getLogger(BoundedHttpServer.class);
  private static final long MIN_BACKOFF_MS = 5;
  private static final long MAX_BACKOFF_MS = 1000;

  final HttpLimits limits;
  final Handler handler;
  final ErrorPage errorPage;
  final Semaphore inFlight;
  final BodyBudget budget;
  private final ServerSocket socket;
  private final Semaphore connections;
  private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
  private final Map<Integer, LongAdder> refused = new ConcurrentHashMap<>();
  private final LongAdder writeTimeouts = new LongAdder();
  private final ScheduledExecutorService watchdog;
  private final Thread acceptor;
  private volatile boolean closed;

  private BoundedHttpServer(ServerSocket socket, HttpLimits limits, Handler handler, ErrorPage errorPage) {
    this.socket = socket;
    this.limits = limits;
    this.handler = handler;
    this.errorPage = errorPage;
    this.inFlight = new Semaphore(limits.maxInFlight());
    this.connections = new Semaphore(limits.maxConnections());
    this.budget = new BodyBudget(limits.bodyBudgetBytes());
    this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
        .name("openai-http-watchdog").factory());
    this.acceptor = Thread.ofPlatform().daemon().name("openai-http-accept").unstarted(this::acceptLoop);
  }

  /** Listens on {@code host:port} (port 0 picks a free one) and starts serving. */
  public static BoundedHttpServer start(String host, int port, HttpLimits limits, Handler handler, ErrorPage errorPage)
      throws IOException {
    ServerSocket s = new ServerSocket();
    try {
      s.bind(new InetSocketAddress(host, port), 128);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    BoundedHttpServer server = new BoundedHttpServer(s, limits, handler, errorPage);
    long tick = Math.clamp(limits.writeTimeout().toMillis() / 4, 10, 1000);
    server.watchdog.scheduleAtFixedRate(server::cutStalledWriters, tick, tick, TimeUnit.MILLISECONDS);
    server.acceptor.start();
    return server;
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** Requests being handled now. */
  public int inFlight() {
    return limits.maxInFlight() - inFlight.availablePermits();
  }

  /** Connections open now. */
  public int openConnections() {
    return open.size();
  }

  /** Request body bytes held now. */
  public long bodyBytesHeld() {
    return budget.held();
  }

  /** Requests and connections this server refused itself with {@code status}, since it started. */
  public long refused(int status) {
    LongAdder n = refused.get(status);
    return n == null ? 0 : n.sum();
  }

  /** Connections closed because a write blocked past the write timeout. */
  public long writeTimeouts() {
    return writeTimeouts.sum();
  }

  boolean closed() {
    return closed;
  }

  void countRefusal(int status) {
    refused.computeIfAbsent(status, s -> new LongAdder()).increment();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(socket);
    open.forEach(HttpConnection::abort);
    watchdog.shutdownNow();
    try {
      acceptor.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    long backoff = MIN_BACKOFF_MS;
    while (!closed) {
      Socket client;
      try {
        client = socket.accept();
        backoff = MIN_BACKOFF_MS;
      } catch (Throwable t) { // EMFILE, OutOfMemoryError, anything: wait, then accept again
        if (closed) {
          return;
        }
        LOG.warn("OpenAI endpoint could not accept a connection ({}); retrying in {} ms", t.toString(), backoff);
        sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        continue;
      }
      admit(client);
    }
  }

  private void admit(Socket client) {
    if (!connections.tryAcquire()) {
      countRefusal(503);
      HttpConnection.refuseAndClose(client, errorPage, new RequestRejected(503, "overloaded", "more than "
          + limits.maxConnections() + " connections are open; retry shortly", HttpLimits.RETRY_AFTER_SECONDS));
      return;
    }
    try {
      HttpConnection c = new HttpConnection(this, client);
      open.add(c);
      Thread.ofVirtual().name("openai-http-conn").start(() -> {
        try {
          c.run();
        } finally {
          open.remove(c);
          connections.release();
        }
      });
    } catch (Throwable t) {
      connections.release();
      closeQuietly(client);
      LOG.warn("OpenAI endpoint could not serve a connection: {}", t.toString());
    }
  }

  private void cutStalledWriters() {
    long now = System.nanoTime();
    long limit = limits.writeTimeout().toNanos();
    for (HttpConnection c : open) {
      long since = c.writeBlockedSinceNs();
      if (since != 0 && now - since > limit && c.abort()) {
        writeTimeouts.increment();
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("close failed: {}", e.toString());
    }
  }
}
