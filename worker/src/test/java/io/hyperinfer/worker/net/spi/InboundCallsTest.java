package io.hyperinfer.worker.net.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.metrics.RpcMetrics;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handler's side on hand-built exchanges: the bytes a hostile or a JS peer could send. */
class InboundCallsTest {
  private static final PeerRef FRIEND = PeerRef.ofHex("aa".repeat(32));
  private static final PeerRef STRANGER = PeerRef.ofHex("bb".repeat(32));

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InboundCalls calls = new InboundCalls(scheduler);
  private final CountDownLatch release = new CountDownLatch(1);

  InboundCallsTest() {
    calls.open(new WorkerContext("test", "test", "1"), new RpcMetrics(registry), NetSettings.DEFAULT,
        new RequestLog(true));
  }

  @AfterEach
  void releaseHandlers() {
    release.countDown();
    calls.close();
  }

  private static String outcome(RecordingExchange ex) throws Exception {
    return ex.outcome.get(5, TimeUnit.SECONDS);
  }

  private void advance(Duration d) {
    clock.advance(d);
    scheduler.runDue();
  }

  private InboundCalls oneCallPerPeer() {
    NetSettings d = NetSettings.DEFAULT;
    InboundCalls one = new InboundCalls(scheduler);
    one.open(new WorkerContext("test", "test", "1"), new RpcMetrics(registry), new NetSettings(d.timeout(),
        d.streamTimeout(), d.handlerTimeout(), d.topicAttempts(), d.announceInterval(), 1, d.maxInFlight()),
        new RequestLog(false));
    return one;
  }

  @Test
  void shouldAdmitCallerNextCallWhenItSendsItOnTheReply() throws Exception {
    InboundCalls one = oneCallPerPeer();
    try {
      one.respond("echo", call -> call.payload());
      RecordingExchange second = new RecordingExchange(FRIEND, "echo", "2");
      RecordingExchange first = new RecordingExchange(FRIEND, "echo", "1");
      first.onReply = () -> one.dispatch(second); // the caller sends its next call as soon as it has the reply
      one.dispatch(first);
      assertEquals("ok 1", outcome(first));
      assertEquals("ok 2", outcome(second), "the first call's slot was still held when its reply left");
    } finally {
      one.close();
    }
  }

  @Test
  void shouldAdmitCallerNextStreamWhenItOpensItOnTheEnd() throws Exception {
    InboundCalls one = oneCallPerPeer();
    try {
      one.respondStream("count", (call, sink) -> {
        sink.next(call.payload());
        sink.end(call.payload()); // the handler ends the stream itself, then returns
      });
      RecordingExchange second = new RecordingExchange(FRIEND, "count",
          StreamFrames.encode(new StreamFrame.Open(2, 5_000, TextNode.valueOf("b"))));
      RecordingExchange first = new RecordingExchange(FRIEND, "count",
          StreamFrames.encode(new StreamFrame.Open(1, 5_000, TextNode.valueOf("a"))));
      first.onReply = () -> one.dispatch(second);
      one.dispatch(first);
      assertTrue(outcome(first).startsWith("ok "));
      assertTrue(outcome(second).startsWith("ok "), "the first stream's slot was still held when its end left");
    } finally {
      one.close();
    }
  }

  @Test
  void shouldLogOneLinePerCallWithPeerOutcomeAndMsWhenCallsEnd() throws Exception {
    try (RequestLines lines = new RequestLines()) {
      calls.respond("logged.echo", call -> call.payload());
      calls.respond("logged.boom", call -> {
        throw NetException.badRequest("no");
      });
      RecordingExchange ok = new RecordingExchange(FRIEND, "logged.echo", "{}");
      RecordingExchange failed = new RecordingExchange(STRANGER, "logged.boom", "{}");
      RecordingExchange unknown = new RecordingExchange(FRIEND, "logged.nope", "{}");
      calls.dispatch(ok);
      calls.dispatch(failed);
      calls.dispatch(unknown);
      outcome(ok);
      outcome(failed);
      outcome(unknown);
      // Other tests' calls may still end while this one runs: only this test's methods count.
      var byMethod = new java.util.concurrent.ConcurrentHashMap<String, java.util.Map<String, Object>>();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
        for (var e : lines.events()) {
          var pairs = RequestLines.pairs(e);
          if (((String) pairs.get("method")).startsWith("logged.")) {
            byMethod.put(((String) pairs.get("method")).substring(7), pairs);
          }
        }
        return byMethod.size() == 3;
      });
      assertEquals("ok", byMethod.get("echo").get("outcome"));
      assertEquals("aaaaaaaa", byMethod.get("echo").get("peer"));
      assertEquals(NetException.ERR_BAD_REQUEST, byMethod.get("boom").get("outcome"));
      assertEquals("bbbbbbbb", byMethod.get("boom").get("peer"));
      assertEquals(NetException.ERR_UNKNOWN_METHOD, byMethod.get("nope").get("outcome"));
      assertTrue(((Double) byMethod.get("echo").get("ms")) >= 0);
      assertTrue(lines.events().stream().anyMatch(e -> e.getFormattedMessage().matches(
          "rpc logged.echo from aaaaaaaa ok \\d+\\.\\d{3} ms")));
    }
  }

  @Test
  void shouldAnswerBadRequestWhenPayloadIsNotJson() throws Exception {
    calls.respond("echo", call -> call.payload());
    RecordingExchange ex = new RecordingExchange(FRIEND, "echo", new byte[] {'{', 0, (byte) 0xff});
    calls.dispatch(ex);
    assertEquals(NetException.ERR_BAD_REQUEST, outcome(ex));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> calls.inFlight() == 0);
  }

  @Test
  void shouldTreatEmptyPayloadAsNullWhenJsClientSendsNothing() throws Exception {
    calls.respond("echo", call -> call.payload());
    RecordingExchange ex = new RecordingExchange(FRIEND, "echo", new byte[0]);
    calls.dispatch(ex);
    assertEquals("ok null", outcome(ex));
  }

  @Test
  void shouldJudgeProvenKeyWhenPayloadClaimsAnother() throws Exception {
    calls.respond("ping", call -> TextNode.valueOf("pong"));
    calls.allowOnly(Set.of(FRIEND));
    RecordingExchange claims = new RecordingExchange(STRANGER, "ping",
        "{\"from\":\"" + FRIEND.hex() + "\",\"publicKey\":\"" + FRIEND.hex() + "\"}");
    calls.dispatch(claims);
    assertEquals(NetException.ERR_FORBIDDEN, outcome(claims));
    RecordingExchange friend = new RecordingExchange(FRIEND, "ping", "{}");
    calls.dispatch(friend);
    assertEquals("ok \"pong\"", outcome(friend));
  }

  @Test
  void shouldStreamFramesOnTheCallersConnectionWhenHandlerStreams() throws Exception {
    calls.respondStream("count", (call, sink) -> {
      for (int i = 0; i < call.payload().path("n").asInt(); i++) {
        sink.next(TextNode.valueOf("t" + i));
      }
      sink.end(TextNode.valueOf("done"));
    });
    RecordingExchange ex = new RecordingExchange(FRIEND, "count", "{\"stream\":7,\"payload\":{\"n\":2}}");
    calls.dispatch(ex);
    assertEquals("ok {\"stream\":7,\"chunks\":2,\"value\":\"done\"}", outcome(ex));
    assertEquals(List.of("stream.chunk {\"stream\":7,\"seq\":0,\"data\":\"t0\"}",
        "stream.chunk {\"stream\":7,\"seq\":1,\"data\":\"t1\"}"), ex.events);
  }

  @Test
  void shouldEndStreamAtCallersDeadlineWhenCancelNeverArrives() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    calls.respondStream("endless", (call, sink) -> {
      call.cancel().onCancel(cancelled::countDown);
      release.await(5, TimeUnit.SECONDS);
    });
    RecordingExchange ex = new RecordingExchange(FRIEND, "endless", "{\"stream\":1,\"timeoutMs\":1500}");
    calls.dispatch(ex);
    advance(Duration.ofMillis(1499));
    assertFalse(ex.outcome.isDone());
    advance(Duration.ofMillis(1));
    assertEquals(NetException.ERR_TIMEOUT, outcome(ex));
    assertTrue(cancelled.await(5, TimeUnit.SECONDS));
  }

  @Test
  void shouldCapStreamDeadlineAtOwnLimitWhenCallerAsksForMore() throws Exception {
    calls.respondStream("endless", (call, sink) -> release.await(5, TimeUnit.SECONDS));
    RecordingExchange ex = new RecordingExchange(FRIEND, "endless", "{\"stream\":1,\"timeoutMs\":86400000}");
    calls.dispatch(ex);
    advance(NetSettings.DEFAULT.streamTimeout());
    assertEquals(NetException.ERR_TIMEOUT, outcome(ex));
  }

  @Test
  void shouldCancelOnlyTheCallersOwnStreamWhenCancelArrives() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    calls.respondStream("endless", (call, sink) -> {
      call.cancel().onCancel(cancelled::countDown);
      release.await(5, TimeUnit.SECONDS);
    });
    RecordingExchange ex = new RecordingExchange(FRIEND, "endless", "{\"stream\":3}");
    calls.dispatch(ex);
    calls.cancel(STRANGER, "{\"stream\":3}".getBytes());
    calls.cancel(FRIEND, "{\"stream\":4}".getBytes());
    calls.cancel(FRIEND, "not json".getBytes());
    assertFalse(ex.outcome.isDone());
    calls.cancel(FRIEND, "{\"stream\":3}".getBytes());
    assertEquals(NetException.ERR_CANCELLED, outcome(ex));
    assertTrue(cancelled.await(5, TimeUnit.SECONDS));
    assertEquals(1.0, registry.get("hyperinfer.net.dropped").tag("method", StreamFrames.CANCEL).counter().count());
  }

  @Test
  void shouldRefuseStreamWhenIdIsAlreadyOpenOrFrameIsMalformed() throws Exception {
    calls.respondStream("endless", (call, sink) -> release.await(5, TimeUnit.SECONDS));
    calls.dispatch(new RecordingExchange(FRIEND, "endless", "{\"stream\":9}"));
    RecordingExchange again = new RecordingExchange(FRIEND, "endless", "{\"stream\":9}");
    calls.dispatch(again);
    assertEquals(NetException.ERR_BAD_REQUEST, outcome(again));
    RecordingExchange otherCaller = new RecordingExchange(STRANGER, "endless", "{\"stream\":9}");
    calls.dispatch(otherCaller);
    assertFalse(otherCaller.outcome.isDone());
    for (String bad : List.of("{\"stream\":-1}", "{\"stream\":1.5}", "{\"stream\":\"1\"}", "[]",
        "{\"stream\":9007199254740992}", "{\"stream\":1,\"timeoutMs\":-5}")) {
      RecordingExchange ex = new RecordingExchange(FRIEND, "endless", bad);
      calls.dispatch(ex);
      assertEquals(NetException.ERR_BAD_REQUEST, outcome(ex), bad);
    }
  }

  @Test
  void shouldEndStreamWithErrorFrameWhenHandlerDiesOfAnError() throws Exception {
    calls.respondStream("broken", (call, sink) -> {
      sink.next(TextNode.valueOf("a"));
      throw new LinkageError("class missing");
    });
    RecordingExchange ex = new RecordingExchange(FRIEND, "broken", "{\"stream\":1}");
    calls.dispatch(ex);
    assertEquals(NetException.ERR_INTERNAL, outcome(ex));
    assertEquals(1, ex.events.size());
  }

  @Test
  void shouldRunNoHandlerAndCountDropWhenEventIsRefused() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    calls.respond("note", call -> {
      ran.countDown();
      throw new Error("event handler dies");
    });
    calls.allowOnly(Set.of(FRIEND));
    calls.dispatchEvent(STRANGER, "note", "{}".getBytes());
    calls.dispatchEvent(FRIEND, "missing", "{}".getBytes());
    calls.dispatchEvent(FRIEND, "note", "{}".getBytes());
    assertTrue(ran.await(5, TimeUnit.SECONDS));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> calls.inFlight() == 0);
    assertEquals(1.0, registry.get("hyperinfer.net.dropped").tag("method", "note").counter().count());
    assertEquals(1.0, registry.get("hyperinfer.net.dropped").tag("method", "missing").counter().count());
    assertEquals(1, registry.get("hyperinfer.rpc.server").tag("method", "note")
        .tag("outcome", NetException.ERR_INTERNAL).timer().count());
  }

  @Test
  void shouldEndRunningCallsWhenPeerIsLostOrFacilityCloses() throws Exception {
    calls.respond("hold", call -> {
      release.await(5, TimeUnit.SECONDS);
      return null;
    });
    RecordingExchange lost = new RecordingExchange(STRANGER, "hold", "{}");
    RecordingExchange open = new RecordingExchange(FRIEND, "hold", "{}");
    calls.dispatch(lost);
    calls.dispatch(open);
    calls.peerLost(STRANGER);
    assertEquals(NetException.ERR_CONNECTION_LOST, outcome(lost));
    assertFalse(open.outcome.isDone());
    calls.close();
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, outcome(open));
    RecordingExchange late = new RecordingExchange(FRIEND, "hold", "{}");
    calls.dispatch(late);
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, outcome(late));
  }

  @Test
  void shouldKeepACallOnAnOpenConnectionWhenItsCallerIsReportedLost() throws Exception {
    calls.respond("hold", call -> {
      release.await(5, TimeUnit.SECONDS);
      return TextNode.valueOf("done");
    });
    // the old connection's call (closed under it) and a restarted caller's first call on its new connection
    RecordingExchange old = new RecordingExchange(FRIEND, "hold", "{}");
    RecordingExchange renewed = new RecordingExchange(FRIEND, "hold", "{}");
    renewed.connectionOpen = true;
    calls.dispatch(old);
    calls.dispatch(renewed);
    calls.peerLost(FRIEND); // the old connection's loss, reported after the new call arrived
    assertEquals(NetException.ERR_CONNECTION_LOST, outcome(old));
    assertFalse(renewed.outcome.isDone());
    release.countDown();
    assertEquals("ok \"done\"", outcome(renewed));
  }

  @Test
  void shouldRefuseReservedAndBlankMethodNamesWhenRegistering() {
    assertThrows(IllegalArgumentException.class, () -> calls.respond(StreamFrames.CHUNK, c -> null));
    assertThrows(IllegalArgumentException.class, () -> calls.respondStream(StreamFrames.CANCEL, (c, s) -> { }));
    assertThrows(IllegalArgumentException.class, () -> calls.respond(null, c -> null));
  }
}
