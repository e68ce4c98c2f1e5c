package io.hyperinfer.worker.ops;

import io.hyperinfer.worker.WorkerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server on 127.0.0.1 for GET routes: one request per connection ({@code Connection: close}), at most
 * {@code maxConnections} connections at once (more are answered 503 and closed), request heads capped at
 * {@code maxHeadBytes} (431) and {@code readTimeout} (408), responses cut off after {@code writeTimeout}; a path it
 * does not serve is 404, another method than GET or HEAD 405, a request with a body or a bad head 400. One virtual
 * thread per connection. Thread-safe.
 */
final class OpsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
  private static final byte[] BUSY = Response.text(503, "busy").encode(false);

  private final OpsSettings settings;
  private final Map<String, Supplier<Response>> routes;
  private final ServerSocket socket;
  private final Semaphore slots;
  private final ScheduledThreadPoolExecutor deadlines;
  private final Thread acceptor;
  private volatile boolean closed;

  private OpsServer(OpsSettings settings, Map<String, Supplier<Response>> routes, ServerSocket socket, String name) {
    this.settings = settings;
    this.routes = Map.copyOf(routes);
    this.socket = socket;
    this.slots = new Semaphore(settings.maxConnections());
    this.deadlines = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name(name + "-deadlines")
        .factory());
    this.deadlines.setRemoveOnCancelPolicy(true);
    this.acceptor = Thread.ofPlatform().daemon().name(name).unstarted(this::acceptLoop);
  }

  /**
   * Binds 127.0.0.1 at the settings' port and starts serving {@code routes} (path to response). A port that is taken
   * or not allowed fails with {@link WorkerException.Code#PORT_UNAVAILABLE} naming it and the config key.
   */
  static OpsServer start(OpsSettings settings, Map<String, Supplier<Response>> routes, String name) {
    ServerSocket s = null;
    try {
      s = new ServerSocket();
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 64);
    } catch (IOException e) {
      closeQuietly(s);
      throw unavailable(settings.port(), e);
    }
    OpsServer server = new OpsServer(settings, routes, s, name);
    server.acceptor.start();
    return server;
  }

  /** The bound port. */
  int port() {
    return socket.getLocalPort();
  }

  /** Connections being served now. */
  int active() {
    return settings.maxConnections() - slots.availablePermits();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(socket);
    deadlines.shutdownNow();
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static WorkerException unavailable(int port, IOException e) {
    String where = "port " + port + " on 127.0.0.1 (config key " + OpsSettings.SECTION + ".port)";
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String sentence = e instanceof BindException && why.contains("in use")
        ? where + " is already in use: stop the program using it or choose another port"
        : "cannot listen on " + where + " (" + why + "): choose another port from 1024 to 65535, or 0 for any free one";
    return new WorkerException(WorkerException.Code.PORT_UNAVAILABLE, sentence, e);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("ops endpoint stopped accepting: {}", e.toString());
        }
        return;
      }
      if (!slots.tryAcquire()) {
        refuse(client);
        continue;
      }
      try {
        Thread.ofVirtual().name("ops-conn").start(() -> serve(client));
      } catch (Throwable t) {
        slots.release();
        closeQuietly(client);
      }
    }
  }

  private void serve(Socket client) {
    long readBy = System.nanoTime() + settings.readTimeout().toNanos();
    long total = settings.readTimeout().plus(settings.writeTimeout()).toNanos();
    ScheduledFuture<?> cutOff = null;
    try (client) {
      cutOff = deadlines.schedule(() -> closeQuietly(client), total, TimeUnit.NANOSECONDS);
      Exchange ex = read(client, readBy);
      OutputStream out = client.getOutputStream();
      out.write(ex.response.encode(ex.headOnly));
      out.flush();
    } catch (IOException | RuntimeException e) {
      LOG.debug("ops connection ended: {}", e.toString());
    } finally {
      if (cutOff != null) {
        cutOff.cancel(false);
      }
      slots.release();
    }
  }

  private record Exchange(Response response, boolean headOnly) {}

  /** Reads one request head within the deadline and picks the response. */
  private Exchange read(Socket client, long readBy) throws IOException {
    byte[] buf = new byte[settings.maxHeadBytes()];
    int len = 0;
    InputStream in = client.getInputStream();
    while (true) {
      int end = HttpHead.headEnd(buf, len);
      if (end >= 0) {
        return route(buf, end);
      }
      if (len == buf.length) {
        return new Exchange(Response.text(431, "request head larger than " + buf.length + " bytes"), false);
      }
      long left = readBy - System.nanoTime();
      if (left <= 0) {
        return new Exchange(Response.text(408, "request head not received in time"), false);
      }
      client.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      int n;
      try {
        n = in.read(buf, len, buf.length - len);
      } catch (SocketTimeoutException e) {
        return new Exchange(Response.text(408, "request head not received in time"), false);
      }
      if (n < 0) {
        throw new IOException("client closed before sending a whole request head");
      }
      len += n;
    }
  }

  private Exchange route(byte[] buf, int end) {
    HttpHead head;
    try {
      head = HttpHead.parse(buf, end);
    } catch (HttpHead.Malformed e) {
      return new Exchange(Response.text(400, "bad request: " + e.getMessage()), false);
    }
    boolean headOnly = head.method().equals("HEAD");
    Supplier<Response> route = routes.get(head.path());
    if (route == null) {
      return new Exchange(Response.text(404, "not found; try /metrics or /healthz"), headOnly);
    }
    if (!headOnly && !head.method().equals("GET")) {
      return new Exchange(Response.text(405, "only GET and HEAD"), false);
    }
    if (head.hasBody()) {
      return new Exchange(Response.text(400, "bad request: no route takes a body"), headOnly);
    }
    try {
      return new Exchange(route.get(), headOnly);
    } catch (RuntimeException e) {
      LOG.warn("ops route {} failed: {}", head.path(), e.toString());
      return new Exchange(Response.text(500, "internal error"), headOnly);
    }
  }

  private static void refuse(Socket client) {
    try (client) {
      client.getOutputStream().write(BUSY);
    } catch (IOException e) {
      LOG.debug("could not refuse an ops connection: {}", e.toString());
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("close failed: {}", e.toString());
    }
  }
}
