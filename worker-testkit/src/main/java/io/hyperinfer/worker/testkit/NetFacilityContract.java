package io.hyperinfer.worker.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.PeerReply;
import io.hyperinfer.worker.net.RequestOptions;
import io.hyperinfer.worker.net.StreamCall;
import io.hyperinfer.worker.net.StreamListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link NetFacility} must do, run against each transport: extend it, start peers on your transport in
 * {@link #startPeer(Config)} and crash them in {@link #crash}. The in-memory facility runs it in this module; the
 * Hyperswarm facility runs the same tests on loopback. Covers requests, errors (an Error in a handler included),
 * the firewall on the proven key, deadlines on both sides, topics, lost connections, streams (order, end, cancel,
 * deadline, a dropped connection ending the generation on both sides), events and per-peer limits. Uses short real
 * timeouts and awaits futures, never sleeps.
 */
public abstract class NetFacilityContract {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final List<NetFacility> peers = new ArrayList<>();

  /** A started facility on a fresh identity, attached to the transport under test, with {@code config}. */
  protected abstract NetFacility startPeer(Config config) throws Exception;

  /** Makes {@code peer} vanish as a crashed process would (no goodbye). */
  protected abstract void crash(NetFacility peer);

  /**
   * The longest a peer may take to notice that another crashed: the in-memory network tells at once; a real one only
   * by silence (keepalives unanswered until the transport's retransmission budget runs out).
   */
  protected Duration crashNoticedWithin() {
    return WAIT;
  }

  @AfterEach
  void stopPeers() {
    peers.forEach(NetFacility::stop);
    peers.clear();
  }

  private NetFacility peer(String... overrides) throws Exception {
    NetFacility p = startPeer(ConfigLoader.withOverrides(Config.empty(), List.of(overrides)));
    peers.add(p);
    return p;
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static NetException failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return assertInstanceOf(NetException.class, e.getCause());
    }
    throw new AssertionError("expected an RPC error");
  }

  @Test
  void shouldReplyWithHandlerResultWhenMethodExists() throws Exception {
    NetFacility server = peer();
    NetFacility client = peer();
    server.respond("add", call -> IntNode.valueOf(call.payload().get("a").asInt() + call.payload().get("b").asInt()));
    assertEquals(5, await(client.request(server.publicKey(), "add", Json.object().put("a", 2).put("b", 3))).asInt());
  }

  @Test
  void shouldCarryStableCodeWhenHandlerFails() throws Exception {
    NetFacility server = peer();
    NetFacility client = peer();
    server.respond("typed", call -> {
      throw new NetException("ERR_USER_EXISTS", "exists", Json.object().put("field", "email"));
    });
    server.respond("crash", call -> {
      throw new IllegalStateException("secret internals");
    });
    NetException typed = failure(client.request(server.publicKey(), "typed", null));
    assertEquals("ERR_USER_EXISTS", typed.code());
    assertEquals("email", typed.details().get("field").asText());
    NetException crash = failure(client.request(server.publicKey(), "crash", null));
    assertEquals(NetException.ERR_INTERNAL, crash.code());
    assertFalse(crash.getMessage().contains("secret"));
    assertEquals(NetException.ERR_UNKNOWN_METHOD, failure(client.request(server.publicKey(), "none", null)).code());
  }

  @Test
  void shouldRejectCallerWhenFirewallExcludesIt() throws Exception {
    NetFacility server = peer();
    NetFacility friend = peer();
    NetFacility stranger = peer();
    server.respond("ping", call -> TextNode.valueOf("pong"));
    server.allowOnly(Set.of(new PeerRef(friend.publicKey()).hex()));
    assertEquals("pong", await(friend.request(server.publicKey(), "ping", null)).asText());
    assertEquals(NetException.ERR_FORBIDDEN, failure(stranger.request(server.publicKey(), "ping", null)).code());
  }

  @Test
  void shouldTimeOutWhenNoReplyInTime() throws Exception {
    NetFacility server = peer();
    NetFacility client = peer();
    CountDownLatch release = new CountDownLatch(1);
    server.respond("stuck", call -> {
      release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    });
    NetException e = failure(client.request(server.publicKey(), "stuck", null,
        RequestOptions.timeout(Duration.ofMillis(100))));
    release.countDown();
    assertEquals(NetException.ERR_TIMEOUT, e.code());
  }

  @Test
  void shouldAnswerTimeoutAndCancelHandlerWhenHandlerOutlivesItsLimit() throws Exception {
    NetFacility server = peer("facs.net.handlerTimeout=\"150ms\"");
    NetFacility client = peer();
    CountDownLatch cancelled = new CountDownLatch(1);
    server.respond("stuck", call -> {
      call.cancel().onCancel(cancelled::countDown);
      cancelled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return TextNode.valueOf("too late");
    });
    NetException e = failure(client.request(server.publicKey(), "stuck", null));
    assertEquals(NetException.ERR_TIMEOUT, e.code());
    assertTrue(cancelled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
  }

  @Test
  void shouldAnswerInternalWhenHandlerDiesOfAnError() throws Exception {
    NetFacility server = peer();
    NetFacility client = peer();
    server.respond("overflow", call -> {
      throw new StackOverflowError("secret frames");
    });
    server.respondStream("streamOverflow", (call, sink) -> {
      sink.next(IntNode.valueOf(1));
      throw new StackOverflowError("secret frames");
    });
    NetException unary = failure(client.request(server.publicKey(), "overflow", null));
    assertEquals(NetException.ERR_INTERNAL, unary.code());
    assertFalse(unary.getMessage().contains("secret"));
    StreamCall stream = client.requestStream(server.publicKey(), "streamOverflow", null,
        listener(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>()));
    assertEquals(NetException.ERR_INTERNAL, failure(stream.done()).code());
  }

  @Test
  void shouldRefuseWithTooManyRequestsWhenPeerExceedsItsLimit() throws Exception {
    NetFacility server = peer("facs.net.maxInFlightPerPeer=1");
    NetFacility greedy = peer();
    NetFacility other = peer();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    server.respond("hold", call -> {
      entered.countDown();
      release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return TextNode.valueOf("done");
    });
    CompletableFuture<JsonNode> held = greedy.request(server.publicKey(), "hold", null);
    assertTrue(entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertEquals(NetException.ERR_TOO_MANY_REQUESTS, failure(greedy.request(server.publicKey(), "hold", null)).code());
    server.respond("quick", call -> TextNode.valueOf("served"));
    assertEquals("served", await(other.request(server.publicKey(), "quick", null)).asText());
    release.countDown();
    assertEquals("done", await(held).asText());
  }

  @Test
  void shouldAskTheFirewallPredicateOnEveryRequestWhenItFollowsARoster() throws Exception {
    NetFacility server = peer();
    NetFacility client = peer();
    Set<PeerRef> members = java.util.concurrent.ConcurrentHashMap.newKeySet();
    server.respond("ping", call -> TextNode.valueOf("pong"));
    server.allowOnly(members::contains);
    assertEquals(NetException.ERR_FORBIDDEN, failure(client.request(server.publicKey(), "ping", null)).code());
    members.add(new PeerRef(client.publicKey()));
    assertEquals("pong", await(client.request(server.publicKey(), "ping", null)).asText());
    members.clear();
    assertEquals(NetException.ERR_FORBIDDEN, failure(client.request(server.publicKey(), "ping", null)).code());
  }

  @Test
  void shouldReachOnlyTrustedAnnouncersWhenATrustRuleCoversTheTopic() throws Exception {
    String topic = "contract-trust/" + System.nanoTime();
    NetFacility member = peer();
    NetFacility stranger = peer();
    NetFacility client = peer();
    member.respond("who", call -> TextNode.valueOf("member"));
    stranger.respond("who", call -> TextNode.valueOf("stranger"));
    await(member.announce(topic));
    await(stranger.announce(topic));
    PeerRef trusted = new PeerRef(member.publicKey());
    client.trustAnnouncers("contract-trust/", trusted::equals);
    for (int i = 0; i < 5; i++) {
      assertEquals("member", await(client.topicRequest(topic, "who", null)).asText());
    }
    assertEquals(List.of(trusted), await(client.lookup(topic, false)));
    assertEquals(1, await(client.topicRequestAll(topic, "who", null)).size());
  }

  @Test
  void shouldMeetOnlyPeersOfTheSameNetworkWhenTopicsAreKeyed() throws Exception {
    String topic = "contract-keyed/" + System.nanoTime();
    String ours = "ab".repeat(32);
    NetFacility announcer = peer("network.key=" + ours);
    NetFacility sameNetwork = peer("network.key=" + ours);
    NetFacility otherNetwork = peer("network.key=" + "cd".repeat(32));
    NetFacility noNetwork = peer();
    await(announcer.announce(topic));
    assertEquals(List.of(new PeerRef(announcer.publicKey())), await(sameNetwork.lookup(topic, false)));
    assertEquals(List.of(), await(otherNetwork.lookup(topic, false)));
    assertEquals(List.of(), await(noNetwork.lookup(topic, false)));
  }

  @Test
  void shouldReachAnnouncersWhenRequestingByTopic() throws Exception {
    NetFacility a = peer();
    NetFacility b = peer();
    NetFacility client = peer();
    a.respond("who", call -> TextNode.valueOf("a"));
    b.respond("who", call -> TextNode.valueOf("b"));
    await(a.announce("contract-topic"));
    await(b.announce("contract-topic"));
    String one = await(client.topicRequest("contract-topic", "who", null)).asText();
    assertTrue(one.equals("a") || one.equals("b"));
    Set<String> all = new HashSet<>();
    for (PeerReply r : await(client.topicRequestAll("contract-topic", "who", null))) {
      all.add(r.result().asText());
    }
    assertEquals(Set.of("a", "b"), all);
    await(a.unannounce("contract-topic"));
    assertEquals(List.of(new PeerRef(b.publicKey())), await(client.lookup("contract-topic", false)));
  }

  @Test
  void shouldRetryAnotherAnnouncerWhenOneHasCrashed() throws Exception {
    NetFacility a = peer();
    NetFacility b = peer();
    NetFacility client = peer();
    a.respond("who", call -> TextNode.valueOf("a"));
    b.respond("who", call -> TextNode.valueOf("b"));
    await(a.announce("contract-retry"));
    await(b.announce("contract-retry"));
    await(client.lookup("contract-retry", true));
    crash(a);
    for (int i = 0; i < 5; i++) {
      assertEquals("b", await(client.topicRequest("contract-retry", "who", null)).asText());
    }
  }

  @Test
  void shouldReportLostConnectionWhenPeerCrashesMidCall() throws Exception {
    NetFacility server = peer();
    NetFacility client = peer();
    CountDownLatch entered = new CountDownLatch(1);
    Duration notice = crashNoticedWithin();
    server.respond("hang", call -> {
      entered.countDown();
      new CountDownLatch(1).await(notice.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    });
    CompletableFuture<PeerRef> lost = new CompletableFuture<>();
    client.addConnectionListener(lost::complete);
    CompletableFuture<JsonNode> reply = client.request(server.publicKey(), "hang", null,
        RequestOptions.timeout(notice.plus(WAIT)));
    assertTrue(entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    crash(server);
    try {
      reply.get(notice.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected the call to fail");
    } catch (ExecutionException e) {
      assertEquals(NetException.ERR_CONNECTION_LOST, assertInstanceOf(NetException.class, e.getCause()).code());
    }
    assertEquals(new PeerRef(server.publicKey()), await(lost));
  }

  @Test
  void shouldStreamChunksInOrderWhenHandlerStreams() throws Exception {
    NetFacility server = peer();
    NetFacility client = peer();
    server.respondStream("count", (call, sink) -> {
      for (int i = 0; i < 50; i++) {
        sink.next(IntNode.valueOf(i));
      }
      sink.end(TextNode.valueOf("done"));
    });
    List<Long> seqs = new CopyOnWriteArrayList<>();
    List<Integer> values = new CopyOnWriteArrayList<>();
    StreamCall call = client.requestStream(server.publicKey(), "count", null, listener(seqs, values));
    assertEquals("done", await(call.done()).asText());
    for (int i = 0; i < 50; i++) {
      assertEquals(i, seqs.get(i));
      assertEquals(i, values.get(i));
    }
  }

  @Test
  void shouldStopHandlerWhenStreamIsCancelled() throws Exception {
    NetFacility server = peer();
    NetFacility client = peer();
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    server.respondStream("endless", (call, sink) -> {
      call.cancel().onCancel(cancelled::countDown);
      sink.next(IntNode.valueOf(0));
      first.countDown();
      cancelled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    });
    StreamCall call = client.requestStream(server.publicKey(), "endless", null,
        listener(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>()));
    assertTrue(first.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    call.cancel();
    assertEquals(NetException.ERR_CANCELLED, failure(call.done()).code());
    assertTrue(cancelled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
  }

  @Test
  void shouldFailStreamAndStopHandlerWhenDeadlinePasses() throws Exception {
    NetFacility server = peer();
    NetFacility client = peer();
    CountDownLatch cancelled = new CountDownLatch(1);
    server.respondStream("slow", (call, sink) -> {
      call.cancel().onCancel(cancelled::countDown);
      sink.next(IntNode.valueOf(0));
      cancelled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    });
    StreamCall call = client.requestStream(server.publicKey(), "slow", null,
        listener(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>()),
        RequestOptions.timeout(Duration.ofMillis(200)));
    assertEquals(NetException.ERR_TIMEOUT, failure(call.done()).code());
    assertTrue(cancelled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
  }

  @Test
  void shouldEndGenerationOnBothSidesWhenConnectionDrops() throws Exception {
    NetFacility server = peer();
    NetFacility client = peer();
    NetFacility observer = peer();
    CountDownLatch streaming = new CountDownLatch(2);
    CountDownLatch cancelled = new CountDownLatch(1);
    Duration notice = crashNoticedWithin();
    server.respondStream("endless", (call, sink) -> {
      // Each generation waits for its own cancel: the observer's must outlive the crashed caller's.
      CountDownLatch mine = new CountDownLatch(1);
      call.cancel().onCancel(() -> {
        mine.countDown();
        cancelled.countDown();
      });
      streaming.countDown();
      mine.await(notice.plus(WAIT).toMillis(), TimeUnit.MILLISECONDS);
    });
    StreamCall dying = client.requestStream(server.publicKey(), "endless", null,
        listener(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>()));
    StreamCall watching = observer.requestStream(server.publicKey(), "endless", null,
        listener(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>()));
    assertTrue(streaming.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    crash(client);
    assertTrue(cancelled.await(notice.toMillis(), TimeUnit.MILLISECONDS), "the crashed caller's generation stops");
    assertFalse(watching.done().isDone(), "other callers' streams go on");
    watching.cancel();
    dying.cancel();
  }

  @Test
  void shouldDeliverFramesOfOwnStreamsWhenFirewallExcludesTheServer() throws Exception {
    NetFacility server = peer();
    NetFacility client = peer();
    NetFacility friend = peer();
    client.allowOnly(Set.of(new PeerRef(friend.publicKey()).hex()));
    server.respondStream("count", (call, sink) -> {
      for (int i = 0; i < 3; i++) {
        sink.next(IntNode.valueOf(i));
      }
      sink.end(TextNode.valueOf("done"));
    });
    List<Integer> values = new CopyOnWriteArrayList<>();
    StreamCall call = client.requestStream(server.publicKey(), "count", null,
        listener(new CopyOnWriteArrayList<>(), values));
    assertEquals("done", await(call.done()).asText());
    assertEquals(List.of(0, 1, 2), values);
    client.respond("ping", c -> TextNode.valueOf("pong"));
    assertEquals(NetException.ERR_FORBIDDEN, failure(server.request(client.publicKey(), "ping", null)).code());
    StreamCall refused = server.requestStream(client.publicKey(), "count", null,
        listener(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>()));
    assertEquals(NetException.ERR_FORBIDDEN, failure(refused.done()).code());
  }

  @Test
  void shouldRunHandlerWhenEventArrives() throws Exception {
    NetFacility server = peer();
    NetFacility client = peer();
    CompletableFuture<String> got = new CompletableFuture<>();
    server.respond("note", call -> {
      got.complete(call.payload().asText());
      return null;
    });
    client.event(server.publicKey(), "note", TextNode.valueOf("hello"));
    assertEquals("hello", await(got));
  }

  private static StreamListener listener(List<Long> seqs, List<Integer> values) {
    return new StreamListener() {
      @Override
      public void onChunk(long seq, JsonNode chunk) {
        seqs.add(seq);
        values.add(chunk.asInt());
      }

      @Override
      public void onEnd(JsonNode last) {}

      @Override
      public void onError(NetException error) {}
    };
  }
}
