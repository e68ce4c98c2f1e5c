package io.hyperinfer.client.openai.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.worker.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bounded HTTP server with a plain handler, spoken to by hand: framing, keep-alive and every bound. */
@Timeout(60)
class BoundedHttpServerIT {
  private static final Duration SHORT = Duration.ofMillis(500);
  private static final HttpLimits LIMITS = new HttpLimits(8, 2, 4096, 64 << 10, 256 << 10, SHORT, SHORT, SHORT,
      SHORT, 16 << 10);

  private final CountDownLatch unblock = new CountDownLatch(1);
  private final AtomicBoolean writeFailed = new AtomicBoolean();
  private BoundedHttpServer server;

  @AfterEach
  void stop() {
    unblock.countDown();
    if (server != null) {
      server.close();
    }
  }

  private int start(HttpLimits limits) throws IOException {
    server = BoundedHttpServer.start("127.0.0.1", 0, limits, this::handle,
        (status, code, message) -> Json.toBytes(Json.object().put("code", code).put("message", message)));
    return server.port();
  }

  private void handle(Exchange ex) throws IOException {
    switch (ex.path()) {
      case "/echo" -> {
        byte[] body = ex.body();
        ex.respond(200, "text/plain", (ex.method() + " " + new String(body, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8));
      }
      case "/early" -> ex.respond(401, "text/plain", "no key".getBytes(StandardCharsets.UTF_8));
      case "/stream" -> {
        OutputStream out = ex.stream(200, "text/event-stream");
        for (String piece : new String[] {"one ", "two ", "three"}) {
          out.write(piece.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
        ex.endStream();
      }
      case "/flood" -> {
        OutputStream out = ex.stream(200, "text/event-stream");
        byte[] piece = new byte[16 << 10];
        try {
          while (true) {
            out.write(piece);
            out.flush();
          }
        } catch (IOException e) {
          writeFailed.set(true);
          throw e;
        }
      }
      case "/block" -> {
        try {
          unblock.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ex.respond(200, "text/plain", new byte[0]);
      }
      case "/error" -> throw new StackOverflowError("a handler bug");
      default -> ex.respond(404, "text/plain", new byte[0]);
    }
  }

  private static String post(String path, String body) {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
  }

  @Test
  void shouldCutOffAConnectionOnceWhenAbortedAgainBeforeItsThreadRan() throws Exception {
    start(LIMITS);
    java.util.concurrent.atomic.AtomicInteger closes = new java.util.concurrent.atomic.AtomicInteger();
    java.net.Socket socket = new java.net.Socket() {
      @Override
      public OutputStream getOutputStream() {
        return OutputStream.nullOutputStream();
      }

      @Override
      public synchronized void close() {
        closes.incrementAndGet();
      }
    };
    HttpConnection connection = new HttpConnection(server, socket);
    assertTrue(connection.abort(), "the watchdog cuts a stalled writer off");
    // its thread has not run since, so the connection is still open to the watchdog's next tick
    assertFalse(connection.abort(), "already cut off: not counted again");
    assertEquals(1, closes.get());
  }

  @Test
  void shouldServeSeveralRequestsOnOneConnectionWhenKeptAliveAndPipelined() throws Exception {
    try (RawClient c = RawClient.connect(start(LIMITS))) {
      c.send(post("/echo", "first") + post("/echo", "second"));
      assertEquals("POST first", c.read().body());
      assertEquals("POST second", c.read().body());
      c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response streamed = c.read();
      assertEquals("chunked", streamed.header("Transfer-Encoding"));
      assertEquals("one two three", streamed.body());
      c.send(post("/echo", "third"));
      assertEquals("POST third", c.read().body());
    }
  }

  @Test
  void shouldReadChunkedBodyAndAnswerExpectContinue() throws Exception {
    try (RawClient c = RawClient.connect(start(LIMITS))) {
      c.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\n"
          + "X-Trailer: t\r\n\r\n");
      assertEquals("POST hello world", c.read().body());
      c.send("POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
      c.send("body");
      assertEquals("POST body", c.read().body());
    }
  }

  @Test
  void shouldAnswer431AndNotResetWhenHeadIsHuge() throws Exception {
    try (RawClient c = RawClient.connect(start(LIMITS))) {
      c.send("GET /echo HTTP/1.1\r\nX-Junk: " + "j".repeat(1 << 20) + "\r\n\r\n");
      RawClient.Response r = c.read();
      assertEquals(431, r.status());
      assertEquals("request_header_fields_too_large", Json.parse(r.body()).path("code").asText());
      assertEquals("close", r.header("Connection"));
      assertTrue(c.closedByServer());
    }
    assertEquals(1, server.refused(431));
  }

  @Test
  void shouldAnswer413WhenBodyIsOverTheCapByLengthOrByChunks() throws Exception {
    int port = start(LIMITS);
    try (RawClient c = RawClient.connect(port)) {
      c.send(post("/echo", "x".repeat(100_000)));
      assertEquals(413, c.read().status());
    }
    try (RawClient c = RawClient.connect(port)) {
      String chunk = "y".repeat(40_000);
      c.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length())
          + "\r\n" + chunk + "\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");
      RawClient.Response r = c.read();
      assertEquals(413, r.status());
      assertEquals("request_too_large", Json.parse(r.body()).path("code").asText());
    }
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> server.bodyBytesHeld() == 0);
  }

  @Test
  void shouldAnswer408WhenHeadOrBodyIsTrickled() throws Exception {
    int port = start(LIMITS);
    try (RawClient head = RawClient.connect(port); RawClient body = RawClient.connect(port)) {
      body.send("POST /echo HTTP/1.1\r\nContent-Length: 1000\r\n\r\n");
      Thread trickler = Thread.ofVirtual().start(() -> trickle(head, body));
      assertEquals(408, head.read().status());
      assertEquals(408, body.read().status());
      trickler.interrupt();
    }
    assertEquals(2, server.refused(408));
  }

  /** Sends a byte every 20 ms to each client: each read is quick, the whole never arrives in time. */
  private static void trickle(RawClient head, RawClient body) {
    String slowHead = "GET /echo HTTP/1.1\r\nX-Slow: " + "s".repeat(1000);
    try {
      for (int i = 0; i < slowHead.length(); i++) {
        head.send(slowHead.substring(i, i + 1));
        body.send("b");
        Thread.sleep(20);
      }
    } catch (IOException | InterruptedException e) {
      // the server cut us off, or the test is done
    }
  }

  @Test
  void shouldCloseConnectionWhenIdleOrSilent() throws Exception {
    int port = start(LIMITS);
    try (RawClient idle = RawClient.connect(port); RawClient silent = RawClient.connect(port)) {
      idle.send(post("/echo", "once"));
      assertEquals(200, idle.read().status());
      assertTrue(idle.closedByServer(), "an idle kept-alive connection is closed");
      assertTrue(silent.closedByServer(), "a connection that never sends a request is closed");
    }
  }

  @Test
  void shouldAnswer429WithRetryAfterWhenRequestsInFlightAreAtTheCap() throws Exception {
    int port = start(LIMITS);
    try (RawClient a = RawClient.connect(port); RawClient b = RawClient.connect(port);
        RawClient c = RawClient.connect(port)) {
      a.send("GET /block HTTP/1.1\r\n\r\n");
      b.send("GET /block HTTP/1.1\r\n\r\n");
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> server.inFlight() == 2);
      c.send(post("/echo", "x".repeat(10_000)));
      RawClient.Response refused = c.read();
      assertEquals(429, refused.status());
      assertEquals("1", refused.header("Retry-After"));
      unblock.countDown();
      assertEquals(200, a.read().status());
      assertEquals(200, b.read().status());
    }
    try (RawClient again = RawClient.connect(port)) {
      again.send(post("/echo", "now"));
      assertEquals("POST now", again.read().body());
    }
  }

  @Test
  void shouldAnswer503WhenConnectionsAreAtTheCap() throws Exception {
    HttpLimits one = new HttpLimits(1, 2, 4096, 1024, 1024, Duration.ofSeconds(30), SHORT, SHORT, SHORT, 16 << 10);
    int port = start(one);
    try (RawClient holder = RawClient.connect(port)) {
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> server.openConnections() == 1);
      try (RawClient refused = RawClient.connect(port)) {
        RawClient.Response r = refused.read();
        assertEquals(503, r.status());
        assertEquals("1", r.header("Retry-After"));
      }
      holder.send(post("/echo", "still served"));
      assertEquals("POST still served", holder.read().body());
    }
  }

  @Test
  void shouldAnswer400WhenBodyFramingIsAmbiguous() throws Exception {
    int port = start(LIMITS);
    for (String head : new String[] {"Content-Length: 4\r\nTransfer-Encoding: chunked", "Content-Length: 4\r\n"
        + "Content-Length: 5", "Transfer-Encoding: gzip", "Content-Length: -4", "Content-Length: 4x"}) {
      try (RawClient c = RawClient.connect(port)) {
        c.send("POST /echo HTTP/1.1\r\n" + head + "\r\n\r\nbody");
        assertEquals(400, c.read().status(), head);
      }
    }
  }

  @Test
  void shouldAnswerWithoutResetAndCloseWhenHandlerAnswersBeforeReadingTheBody() throws Exception {
    try (RawClient c = RawClient.connect(start(LIMITS))) {
      c.send(post("/early", "z".repeat(60_000)));
      RawClient.Response r = c.read();
      assertEquals(401, r.status());
      assertEquals("close", r.header("Connection"));
    }
  }

  @Test
  void shouldAnswer500AndKeepServingWhenHandlerThrowsAnError() throws Exception {
    int port = start(LIMITS);
    try (RawClient c = RawClient.connect(port)) {
      c.send("GET /error HTTP/1.1\r\n\r\n");
      assertEquals(500, c.read().status());
    }
    try (RawClient c = RawClient.connect(port)) {
      c.send(post("/echo", "alive"));
      assertEquals("POST alive", c.read().body());
    }
  }

  @Test
  void shouldCloseConnectionAndFailTheWriterWhenReaderStallsPastWriteDeadline() throws Exception {
    int port = start(LIMITS);
    try (RawClient stalled = RawClient.connect(port, 4096)) {
      stalled.send("GET /flood HTTP/1.1\r\n\r\n");
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(writeFailed::get);
      assertEquals(1, server.writeTimeouts());
    }
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> server.inFlight() == 0);
    try (RawClient c = RawClient.connect(port)) {
      c.send(post("/echo", "after"));
      assertEquals("POST after", c.read().body());
    }
  }
}
