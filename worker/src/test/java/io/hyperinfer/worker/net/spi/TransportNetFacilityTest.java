package io.hyperinfer.worker.net.spi;

import static io.hyperinfer.worker.net.spi.NetFixture.await;
import static io.hyperinfer.worker.net.spi.NetFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransportNetFacilityTest {
  private final NetFixture<LoopbackNetwork> net = NetFixture.loopback(42);

  @AfterEach
  void tearDown() {
    net.close();
  }

  @Test
  void shouldReturnHandlerResultWhenMethodIsRegistered() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    server.respond("echo", call -> {
      ObjectNode out = Json.object();
      out.set("got", call.payload());
      out.put("from", call.remotePublicKeyHex());
      return out;
    });
    JsonNode reply = await(client.request(server.publicKey(), "echo", TextNode.valueOf("hi")));
    assertEquals("hi", reply.get("got").asText());
    assertEquals(new PeerRef(client.publicKey()).hex(), reply.get("from").asText());
  }

  @Test
  void shouldFailWithUnknownMethodWhenNoHandlerIsRegistered() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    NetException e = failure(client.request(server.publicKey(), "nope", null));
    assertEquals(NetException.ERR_UNKNOWN_METHOD, e.code());
  }

  @Test
  void shouldCarryCodeMessageAndDetailsWhenHandlerThrowsRpcException() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    server.respond("register", call -> {
      throw new NetException("ERR_USER_EXISTS", "user exists", Json.object().put("field", "email"));
    });
    NetException e = failure(client.request(server.publicKey(), "register", Json.object()));
    assertEquals("ERR_USER_EXISTS", e.code());
    assertEquals("user exists", e.getMessage());
    assertEquals("email", e.details().get("field").asText());
    assertEquals(0, e.getStackTrace().length);
  }

  @Test
  void shouldHideInternalsWhenHandlerThrowsUnexpectedException() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    server.respond("boom", call -> {
      throw new IllegalStateException("db password is hunter2");
    });
    NetException e = failure(client.request(server.publicKey(), "boom", null));
    assertEquals(NetException.ERR_INTERNAL, e.code());
    assertFalse(e.getMessage().contains("hunter2"));
  }

  @Test
  void shouldReplyLaterWhenHandlerIsAsync() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    CompletableFuture<JsonNode> later = new CompletableFuture<>();
    server.respondAsync("later", call -> later);
    CompletableFuture<JsonNode> reply = client.request(server.publicKey(), "later", null);
    assertFalse(reply.isDone());
    later.complete(IntNode.valueOf(7));
    assertEquals(7, await(reply).asInt());
  }

  @Test
  void shouldMapAsyncFailureWhenAsyncHandlerFails() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    server.respondAsync("later", call -> CompletableFuture.failedFuture(NetException.badRequest("bad")));
    assertEquals(NetException.ERR_BAD_REQUEST, failure(client.request(server.publicKey(), "later", null)).code());
  }

  @Test
  void shouldRejectWithForbiddenWhenCallerIsNotInFirewall() {
    TransportNetFacility server = net.peer();
    TransportNetFacility allowed = net.peer();
    TransportNetFacility other = net.peer();
    server.respond("ping", call -> TextNode.valueOf("pong"));
    server.allowOnly(Set.of(new PeerRef(allowed.publicKey()).hex()));
    assertEquals("pong", await(allowed.request(server.publicKey(), "ping", null)).asText());
    assertEquals(NetException.ERR_FORBIDDEN, failure(other.request(server.publicKey(), "ping", null)).code());
    server.allowAll();
    assertEquals("pong", await(other.request(server.publicKey(), "ping", null)).asText());
  }

  @Test
  void shouldTimeOutAndForgetCallWhenReplyTakesTooLong() throws Exception {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    CountDownLatch entered = new CountDownLatch(1);
    server.respond("slow", call -> {
      entered.countDown();
      NetFixture.hang();
      return TextNode.valueOf("late");
    });
    CompletableFuture<JsonNode> reply = client.request(server.publicKey(), "slow", null,
        RequestOptions.timeout(Duration.ofSeconds(2)));
    assertTrue(entered.await(5, TimeUnit.SECONDS));
    net.advance(Duration.ofSeconds(1));
    assertFalse(reply.isDone());
    assertEquals(1, client.waiting());
    net.advance(Duration.ofSeconds(1));
    assertEquals(NetException.ERR_TIMEOUT, failure(reply).code());
    assertEquals(0, client.waiting());
  }

  @Test
  void shouldAnswerTimeoutAndCancelHandlerWhenHandlerOutlivesItsLimit() throws Exception {
    TransportNetFacility server = net.peer("facs.net.handlerTimeout=\"5s\"");
    TransportNetFacility client = net.peer();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    server.respond("stuck", call -> {
      call.cancel().onCancel(cancelled::countDown);
      entered.countDown();
      cancelled.await(5, TimeUnit.SECONDS);
      return TextNode.valueOf("too late");
    });
    CompletableFuture<JsonNode> reply = client.request(server.publicKey(), "stuck", null,
        RequestOptions.timeout(Duration.ofMinutes(1)));
    assertTrue(entered.await(5, TimeUnit.SECONDS));
    net.advance(Duration.ofMillis(4999));
    assertFalse(reply.isDone());
    net.advance(Duration.ofMillis(1));
    assertEquals(NetException.ERR_TIMEOUT, failure(reply).code());
    assertTrue(cancelled.await(5, TimeUnit.SECONDS));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight() == 0);
  }

  @Test
  void shouldReplyInternalWhenHandlerDiesOfAnError() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    server.respond("overflow", call -> {
      throw new StackOverflowError("deep recursion with secret 42");
    });
    server.respondAsync("asyncOverflow", call -> {
      throw new OutOfMemoryError("no heap");
    });
    server.respondAsync("asyncFailed", call -> CompletableFuture.failedFuture(new AssertionError("bug")));
    for (String method : List.of("overflow", "asyncOverflow", "asyncFailed")) {
      NetException e = failure(client.request(server.publicKey(), method, null));
      assertEquals(NetException.ERR_INTERNAL, e.code(), method);
      assertFalse(e.getMessage().contains("secret"));
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight() == 0);
    assertEquals(3, net.registry.get("hyperinfer.rpc.server").tag("outcome", NetException.ERR_INTERNAL).timers()
        .stream().mapToLong(t -> t.count()).sum());
  }

  @Test
  void shouldRefuseWithTooManyRequestsWhenPeerHasTooManyCallsRunning() throws Exception {
    TransportNetFacility server = net.peer("facs.net.maxInFlightPerPeer=2", "facs.net.maxInFlight=3");
    TransportNetFacility greedy = net.peer();
    TransportNetFacility other = net.peer();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(3);
    server.respond("hold", call -> {
      entered.countDown();
      release.await(5, TimeUnit.SECONDS);
      return TextNode.valueOf("done");
    });
    List<CompletableFuture<JsonNode>> held = List.of(greedy.request(server.publicKey(), "hold", null),
        greedy.request(server.publicKey(), "hold", null));
    NetException perPeer = failure(greedy.request(server.publicKey(), "hold", null));
    assertEquals(NetException.ERR_TOO_MANY_REQUESTS, perPeer.code());
    assertEquals(2, perPeer.details().get("limit").asInt());
    CompletableFuture<JsonNode> third = other.request(server.publicKey(), "hold", null);
    assertTrue(entered.await(5, TimeUnit.SECONDS));
    NetException total = failure(other.request(server.publicKey(), "hold", null));
    assertEquals(NetException.ERR_TOO_MANY_REQUESTS, total.code());
    assertEquals(3, total.details().get("limit").asInt());
    release.countDown();
    for (CompletableFuture<JsonNode> f : held) {
      assertEquals("done", await(f).asText());
    }
    assertEquals("done", await(third).asText());
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight() == 0);
    server.respond("hold", call -> TextNode.valueOf("again"));
    assertEquals("again", await(greedy.request(server.publicKey(), "hold", null)).asText());
  }

  @Test
  void shouldUseConfiguredTimeoutWhenOptionsHaveNone() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer("facs.net.timeout=\"3s\"");
    server.respond("never", call -> {
      NetFixture.hang();
      return null;
    });
    CompletableFuture<JsonNode> reply = client.request(server.publicKey(), "never", null);
    net.advance(Duration.ofMillis(2999));
    assertFalse(reply.isDone());
    net.advance(Duration.ofMillis(1));
    assertEquals(NetException.ERR_TIMEOUT, failure(reply).code());
  }

  @Test
  void shouldFailWithPeerUnavailableWhenKeyIsUnknown() {
    TransportNetFacility client = net.peer();
    NetException e = failure(client.request(new byte[32], "x", null));
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, e.code());
  }

  @Test
  void shouldReturnNullWhenHandlerReturnsNull() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    server.respond("void", call -> null);
    assertTrue(await(client.request(server.publicKey(), "void", null)).isNull());
  }

  @Test
  void shouldRunEventHandlerWhenEventIsSent() throws Exception {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    CountDownLatch got = new CountDownLatch(2);
    AtomicReference<String> value = new AtomicReference<>();
    server.respond("notify", call -> {
      value.set(call.payload().asText());
      got.countDown();
      if (got.getCount() == 0) {
        throw new IllegalStateException("ignored by the sender");
      }
      return null;
    });
    client.event(server.publicKey(), "notify", TextNode.valueOf("a"));
    client.event(server.publicKey(), "notify", TextNode.valueOf("a"));
    client.event(server.publicKey(), "unknown", TextNode.valueOf("b"));
    client.event(new byte[32], "notify", TextNode.valueOf("c"));
    assertTrue(got.await(5, TimeUnit.SECONDS));
    assertEquals("a", value.get());
  }

  @Test
  void shouldIgnoreEventWhenSenderIsNotInFirewall() throws Exception {
    TransportNetFacility server = net.peer();
    TransportNetFacility stranger = net.peer();
    TransportNetFacility friend = net.peer();
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch got = new CountDownLatch(1);
    server.respond("notify", call -> {
      seen.add(call.payload().asText());
      got.countDown();
      return null;
    });
    server.allowOnly(Set.of(new PeerRef(friend.publicKey()).hex()));
    stranger.event(server.publicKey(), "notify", TextNode.valueOf("bad"));
    friend.event(server.publicKey(), "notify", TextNode.valueOf("good"));
    assertTrue(got.await(5, TimeUnit.SECONDS));
    assertEquals(List.of("good"), seen);
  }

  @Test
  void shouldNotifyListenerAndFailPendingWhenPeerFails() throws Exception {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    CountDownLatch entered = new CountDownLatch(1);
    server.respond("hang", call -> {
      entered.countDown();
      NetFixture.hang();
      return null;
    });
    AtomicReference<PeerRef> lost = new AtomicReference<>();
    client.addConnectionListener(lost::set);
    CompletableFuture<JsonNode> reply = client.request(server.publicKey(), "hang", null);
    assertTrue(entered.await(5, TimeUnit.SECONDS));
    net.network.crash(server.publicKey());
    assertEquals(NetException.ERR_CONNECTION_LOST, failure(reply).code());
    assertEquals(new PeerRef(server.publicKey()), lost.get());
    assertEquals(NetException.ERR_PEER_UNAVAILABLE,
        failure(client.request(server.publicKey(), "hang", null)).code());
  }

  @Test
  void shouldFailPendingRequestsWhenOwnFacilityStops() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    server.respond("hang", call -> {
      NetFixture.hang();
      return null;
    });
    CompletableFuture<JsonNode> reply = client.request(server.publicKey(), "hang", null);
    client.stop();
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, failure(reply).code());
    assertThrows(WorkerException.class, client::publicKey);
    client.stop();
  }

  @Test
  void shouldRefuseNewCallsAndWaitForRunningOnesWhenDraining() throws Exception {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    server.respond("work", call -> {
      entered.countDown();
      release.await(5, TimeUnit.SECONDS);
      return TextNode.valueOf("done");
    });
    CompletableFuture<JsonNode> running = client.request(server.publicKey(), "work", null);
    assertTrue(entered.await(5, TimeUnit.SECONDS));
    assertEquals(1, server.inFlight());
    assertFalse(server.drain(Duration.ofMillis(20)));
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, failure(client.request(server.publicKey(), "work", null)).code());
    release.countDown();
    assertTrue(server.drain(Duration.ofSeconds(5)));
    assertEquals("done", await(running).asText());
  }

  @Test
  void shouldRefuseBlankMethodWhenRegistering() {
    TransportNetFacility server = net.peer();
    assertThrows(IllegalArgumentException.class, () -> server.respond(" ", call -> null));
  }

  @Test
  void shouldFailWhenUsedBeforeStart() {
    TransportNetFacility idle = net.network.facility();
    assertThrows(WorkerException.class, () -> idle.lookup("t", true));
    assertThrows(WorkerException.class, () -> idle.announce("t"));
    assertEquals(Set.of(), idle.announcedTopics());
    assertTrue(idle.toString().contains("stopped"));
    idle.stop();
  }

  @Test
  void shouldRejectInvalidNetConfigWhenStarting() {
    WorkerException zero = assertThrows(WorkerException.class, () -> net.peer("facs.net.timeout=0"));
    assertTrue(zero.getMessage().contains("facs.net.timeout"));
    WorkerException attempts = assertThrows(WorkerException.class, () -> net.peer("facs.net.topicAttempts=0"));
    assertTrue(attempts.getMessage().contains("facs.net.topicAttempts"));
  }

  @Test
  void shouldRefuseSecondFacilityWhenKeyIsAlreadyAttached() {
    var keys = io.hyperinfer.crypto.Ed25519.generate();
    net.peer(keys);
    assertThrows(IllegalStateException.class, () -> net.peer(keys));
  }

  @Test
  void shouldCountServerAndClientCallsWhenRequestsComplete() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    server.respond("m", call -> null);
    await(client.request(server.publicKey(), "m", null));
    failure(client.request(server.publicKey(), "missing", null));
    assertEquals(1, net.registry.get("hyperinfer.rpc.client").tag("method", "m").tag("outcome", "ok").timer().count());
    assertEquals(1, net.registry.get("hyperinfer.rpc.client").tag("method", "missing")
        .tag("outcome", NetException.ERR_UNKNOWN_METHOD).timer().count());
    assertEquals(1, net.registry.get("hyperinfer.rpc.server").tag("method", "m").tag("outcome", "ok").timer().count());
  }

  @Test
  void shouldHaveTheClientSampleWhenTheCallersOwnStageRuns() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    CompletableFuture<JsonNode> later = new CompletableFuture<>();
    server.respondAsync("later", call -> later);
    CompletableFuture<Long> seen = client.request(server.publicKey(), "later", null).thenApply(ignored ->
        net.registry.get("hyperinfer.rpc.client").tag("method", "later").tag("outcome", "ok").timer().count());
    later.complete(IntNode.valueOf(7));
    assertEquals(1, await(seen));
  }
}
