package io.hyperinfer.processor.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A loopback HTTP server that replays engine wire formats line by line, optionally stalling before the rest. */
final class FakeEngineServer implements AutoCloseable {
  /** A scripted reply: status, content type, lines sent flushed one by one; stall after {@code stallAfter} lines. */
  record Reply(int status, String contentType, List<String> lines, int stallAfter) {
    static Reply ndjson(String... lines) {
      return new Reply(200, "application/x-ndjson", List.of(lines), -1);
    }

    static Reply sse(String... events) {
      return new Reply(200, "text/event-stream",
          java.util.Arrays.stream(events).map(e -> "data: " + e + "\n").toList(), -1);
    }

    static Reply json(int status, String body) {
      return new Reply(status, "application/json", List.of(body), -1);
    }

    Reply stallingAfter(int n) {
      return new Reply(status, contentType, lines, n);
    }
  }

  private final HttpServer server;
  private final ConcurrentHashMap<String, Reply> replies = new ConcurrentHashMap<>();
  final List<String> requestBodies = new CopyOnWriteArrayList<>();
  final List<String> authHeaders = new CopyOnWriteArrayList<>();
  final CountDownLatch release = new CountDownLatch(1);

  FakeEngineServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  FakeEngineServer on(String path, Reply reply) {
    replies.put(path, reply);
    return this;
  }

  private void handle(HttpExchange exchange) throws IOException {
    requestBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    authHeaders.add(auth == null ? "" : auth);
    Reply reply = replies.get(exchange.getRequestURI().getPath());
    if (reply == null) {
      reply = Reply.json(404, "{\"error\":\"no such path\"}");
    }
    exchange.getResponseHeaders().add("Content-Type", reply.contentType());
    exchange.sendResponseHeaders(reply.status(), 0);
    try (OutputStream out = exchange.getResponseBody()) {
      for (int i = 0; i < reply.lines().size(); i++) {
        if (i == reply.stallAfter()) {
          awaitRelease();
        }
        out.write((reply.lines().get(i) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      if (reply.stallAfter() >= reply.lines().size()) {
        awaitRelease();
      }
    } catch (IOException clientWentAway) {
      // the engine under test closed the stream (cancel or timeout): that is what some tests want
    }
  }

  private void awaitRelease() {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }

  /**
   * A raw server that promises a body longer than it sends, then drops the connection: a broken stream. Returns the
   * base URL; the server thread ends after one connection.
   */
  static String brokenServer(String partialBody) throws IOException {
    ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> {
      try (socket; Socket s = socket.accept()) {
        byte[] request = new byte[8192];
        s.getInputStream().read(request);
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nContent-Length: 100000\r\n\r\n";
        s.getOutputStream().write((head + partialBody).getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
      } catch (IOException ignored) {
        // the test observes the client side only
      }
    });
    return "http://127.0.0.1:" + socket.getLocalPort();
  }
}
