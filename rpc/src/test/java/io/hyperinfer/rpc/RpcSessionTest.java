package io.hyperinfer.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RpcSessionTest {
  private static final byte[] SERVER_KEY = new byte[32];

  private final MuxPair pair = new MuxPair();
  private final Responders responders = new Responders();
  private final LinkedBlockingQueue<String> closes = new LinkedBlockingQueue<>();
  private boolean started;

  @AfterEach
  void tearDown() {
    pair.close();
  }

  private RpcSession server() {
    return new RpcSession(pair.b.mux, SERVER_KEY, null, responders, null, s -> closes.add("server"));
  }

  private RpcSession client() {
    RpcSession client = new RpcSession(pair.a.mux, SERVER_KEY, SERVER_KEY, new Responders(), null,
        s -> closes.add("client"));
    if (!started) {
      started = true;
      pair.start();
    }
    return client;
  }

  private static RpcException failure(CompletableFuture<?> future) throws InterruptedException {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
    return (RpcException) e.getCause();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldEchoValuesWhenServerResponds() throws Exception {
    responders.respond("echo", RpcRequest::value);
    server();
    RpcSession client = client();
    assertArrayEquals(bytes("hello"), client.request("echo", bytes("hello")).get(5, TimeUnit.SECONDS));
    assertNull(client.request("echo", null).get(5, TimeUnit.SECONDS));
    assertNull(client.request("echo", new byte[0]).get(5, TimeUnit.SECONDS));
    byte[] big = new byte[1 << 20];
    big[12345] = 7;
    assertArrayEquals(big, client.request("echo", big, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS));
    client.opened().get(5, TimeUnit.SECONDS);
    assertTrue(client.isOpened());
    assertEquals(0, client.pendingRequests());
    assertArrayEquals(SERVER_KEY, client.remotePublicKey());
    assertEquals(pair.a.mux, client.mux());
  }

  @Test
  void shouldFailWithUnknownMethodWhenNoHandler() throws Exception {
    server();
    RpcException e = failure(client().request("nope", bytes("x")));
    assertEquals(RpcException.Code.UNKNOWN_METHOD, e.code());
    assertEquals("Unknown method 'nope'", e.getMessage());
    assertEquals("UNKNOWN_METHOD", e.wireCode());
    assertNull(e.getCause());
  }

  @Test
  void shouldServeEveryOtherMethodWhenAnyHandlerIsSet() throws Exception {
    responders.respond("own", r -> bytes("own"));
    responders.respondAny(r -> CompletableFuture.completedFuture(bytes("any " + r.method())));
    server();
    RpcSession client = client();
    assertArrayEquals(bytes("own"), client.request("own", null).get(5, TimeUnit.SECONDS));
    assertArrayEquals(bytes("any other"), client.request("other", null).get(5, TimeUnit.SECONDS));
    responders.respondAny(null);
    assertEquals(RpcException.Code.UNKNOWN_METHOD, failure(client.request("other", null)).code());
  }

  @Test
  void shouldSendRequestErrorWithCauseWhenHandlerThrows() throws Exception {
    responders.respond("fail", r -> {
      throw new IllegalStateException("boom");
    });
    responders.respond("coded", r -> {
      throw RpcException.application("E_CODED", "coded boom", "ctx");
    });
    responders.respond("checked", r -> {
      throw new java.io.IOException();
    });
    server();
    RpcSession client = client();
    RpcException e = failure(client.request("fail", null));
    assertEquals(RpcException.Code.REQUEST_ERROR, e.code());
    assertEquals("Request failed", e.getMessage());
    RpcException cause = (RpcException) e.getCause();
    assertEquals("boom", cause.getMessage());
    assertNull(cause.wireCode());
    assertEquals(RpcException.Code.APPLICATION, cause.code());
    RpcException coded = (RpcException) failure(client.request("coded", null)).getCause();
    assertEquals("E_CODED", coded.wireCode());
    assertEquals("coded boom", coded.getMessage());
    assertEquals("ctx", coded.context());
    assertEquals("IOException", failure(client.request("checked", null)).getCause().getMessage());
  }

  @Test
  void shouldRespondLaterWhenAsyncHandlerCompletes() throws Exception {
    CompletableFuture<byte[]> later = new CompletableFuture<>();
    responders.respondAsync("later", r -> later);
    responders.respondAsync("nullStage", r -> null);
    responders.respondAsync("throws", r -> {
      throw new IllegalArgumentException("sync throw");
    });
    responders.respondAsync("failed", r -> CompletableFuture.failedFuture(RpcException.decodeError("bad", null)));
    server();
    RpcSession client = client();
    CompletableFuture<byte[]> reply = client.request("later", null);
    assertFalse(reply.isDone());
    later.complete(bytes("done"));
    assertArrayEquals(bytes("done"), reply.get(5, TimeUnit.SECONDS));
    assertNull(client.request("nullStage", bytes("x")).get(5, TimeUnit.SECONDS));
    assertEquals("sync throw", failure(client.request("throws", null)).getCause().getMessage());
    assertEquals(RpcException.Code.DECODE_ERROR, failure(client.request("failed", null)).code());
  }

  @Test
  void shouldDeliverEventsWithoutResponseWhenEventSent() throws Exception {
    LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    responders.respond("ev", r -> {
      events.add(new String(r.value(), StandardCharsets.UTF_8) + r.event());
      throw new IllegalStateException("ignored for events");
    });
    responders.respond("echo", RpcRequest::value);
    server();
    RpcSession client = client();
    client.event("ev", bytes("one"));
    client.event("missing", bytes("two"));
    assertEquals("onetrue", events.poll(5, TimeUnit.SECONDS));
    assertArrayEquals(bytes("x"), client.request("echo", bytes("x")).get(5, TimeUnit.SECONDS));
    assertTrue(events.isEmpty());
  }

  @Test
  void shouldTimeOutWhenNoResponseArrives() throws Exception {
    responders.respondAsync("hang", r -> new CompletableFuture<>());
    server();
    RpcSession client = client();
    RpcException e = failure(client.request("hang", null, Duration.ofMillis(30)));
    assertEquals(RpcException.Code.TIMEOUT_EXCEEDED, e.code());
    assertEquals("timeout of 30ms exceeded", e.getMessage());
    assertEquals(0, client.pendingRequests());
  }

  @Test
  void shouldFailPendingWithChannelClosedWhenRemoteCloses() throws Exception {
    responders.respondAsync("hang", r -> new CompletableFuture<>());
    RpcSession server = server();
    RpcSession client = client();
    CompletableFuture<byte[]> pending = client.request("hang", null, Duration.ofSeconds(30));
    client.opened().get(5, TimeUnit.SECONDS);
    server.destroy(null);
    assertEquals(RpcException.Code.CHANNEL_CLOSED, failure(pending).code());
    client.closed().get(5, TimeUnit.SECONDS);
    assertEquals(RpcException.Code.CHANNEL_CLOSED, failure(client.request("x", null)).code());
    assertThrows(RpcException.class, () -> client.event("x", null));
    assertTrue(client.isClosed());
    List<String> seen = new ArrayList<>(List.of(closes.take(), closes.take()));
    assertTrue(seen.contains("client") && seen.contains("server"));
  }

  @Test
  void shouldFailPendingWithDestroyedWhenDestroyedLocally() throws Exception {
    responders.respondAsync("hang", r -> new CompletableFuture<>());
    server();
    RpcSession client = client();
    CompletableFuture<byte[]> pending = client.request("hang", null);
    client.destroy(null);
    client.destroy(null);
    assertEquals(RpcException.Code.CHANNEL_DESTROYED, failure(pending).code());
  }

  @Test
  void shouldCloseAfterPendingWorkWhenEnded() throws Exception {
    CompletableFuture<byte[]> later = new CompletableFuture<>();
    responders.respondAsync("later", r -> later);
    RpcSession server = server();
    RpcSession client = client();
    CompletableFuture<byte[]> reply = client.request("later", null);
    client.opened().get(5, TimeUnit.SECONDS);
    CompletableFuture<Void> closed = client.end();
    assertFalse(closed.isDone());
    later.complete(bytes("ok"));
    assertArrayEquals(bytes("ok"), reply.get(5, TimeUnit.SECONDS));
    closed.get(5, TimeUnit.SECONDS);
    server.closed().get(5, TimeUnit.SECONDS);
  }

  @Test
  void shouldRefuseSecondSessionWhenChannelExists() {
    server();
    client();
    RpcException e = assertThrows(RpcException.class, this::client);
    assertEquals(RpcException.Code.DUPLICATE_CHANNEL, e.code());
  }

  @Test
  void shouldPipelineManyRequestsWhenSentAtOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    responders.respondAsync("echo", r -> {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(r.value());
    });
    server();
    RpcSession client = client();
    List<CompletableFuture<byte[]>> replies = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      replies.add(client.request("echo", new byte[] {(byte) i, (byte) (i >> 8)}));
    }
    for (int i = 0; i < replies.size(); i++) {
      byte[] r = replies.get(i).get(5, TimeUnit.SECONDS);
      assertEquals(i, (r[0] & 0xff) | (r[1] & 0xff) << 8);
    }
    assertEquals(2000, calls.get());
  }
}
