package io.hyperinfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.contract.infer.InferChunk;
import io.hyperinfer.contract.infer.InferEnd;
import io.hyperinfer.contract.infer.Timings;
import io.hyperinfer.contract.infer.Usage;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.StreamCall;
import io.hyperinfer.worker.net.StreamListener;
import io.hyperinfer.worker.net.spi.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The client's first-reply deadline on streamed calls, on a manual clock: gateways are a mocked net facility. */
class FailoverStreamTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private final PeerRef a = TestKeys.peer(1);
  private final PeerRef b = TestKeys.peer(2);
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final AtomicLong abandoned = new AtomicLong();
  private final NetFacility net = mock(NetFacility.class);
  private final StreamCall callA = mock(StreamCall.class);
  private final StreamCall callB = mock(StreamCall.class);
  private final List<String> tokens = new CopyOnWriteArrayList<>();

  @Test
  void shouldCancelTheSilentGatewayAndAnswerFromTheNextWhenNoFrameComesWithinTheFirstReplyDeadline() {
    GatewayFinder finder = gateways(a, b);
    FailoverStream s = stream(finder);
    StreamListener first = opened(a, callA);
    assertEquals(1, scheduler.pending(), "the first-reply deadline is armed");

    clock.advance(DEADLINE.minusMillis(1));
    scheduler.runDue();
    verify(callA, never()).cancel();
    clock.advance(Duration.ofMillis(1));
    scheduler.runDue();

    verify(callA).cancel();
    StreamListener second = opened(b, callB);
    first.onError(NetException.cancelled());
    first.onChunk(0, new InferChunk("late from a").toJson());
    second.onChunk(0, new InferChunk("from b").toJson());
    second.onEnd(end());
    Answer answer = s.done().join();
    assertEquals("from b", answer.text());
    assertEquals(List.of("from b"), tokens, "the abandoned gateway's frames never reach the listener");
    assertEquals(1, abandoned.get());
    assertEquals(List.of(b, a), finder.candidates(false), "the silent gateway is tried last for a while");
  }

  @Test
  void shouldKeepTheStreamWhenItsFirstFrameComesBeforeTheDeadline() {
    FailoverStream s = stream(gateways(a, b));
    StreamListener first = opened(a, callA);
    clock.advance(DEADLINE.minusSeconds(1));
    first.onChunk(0, new InferChunk("in time").toJson());
    clock.advance(DEADLINE.multipliedBy(3));
    assertEquals(0, scheduler.pending(), "the first frame disarms the deadline");
    scheduler.runDue();
    first.onEnd(end());

    assertEquals("in time", s.done().join().text());
    verify(callA, never()).cancel();
    verify(net, never()).requestStream(eq(b.publicKey()), any(), any(), any());
    assertEquals(0, abandoned.get());
  }

  @Test
  void shouldWaitOnTheLastGatewayLeftBecauseAbandoningItGainsNothing() {
    FailoverStream s = stream(gateways(a));
    StreamListener only = opened(a, callA);
    assertEquals(0, scheduler.pending(), "no deadline armed");
    clock.advance(DEADLINE.multipliedBy(6));
    scheduler.runDue();
    assertFalse(s.done().isDone());
    verify(callA, never()).cancel();
    only.onChunk(0, new InferChunk("slow model").toJson());
    only.onEnd(end());
    assertEquals("slow model", s.done().join().text());
  }

  @Test
  void shouldNotStartAnotherAttemptWhenTheCallerCancelledBeforeTheDeadline() {
    FailoverStream s = stream(gateways(a, b));
    opened(a, callA);
    s.cancel();
    clock.advance(DEADLINE);
    scheduler.runDue();
    verify(callA).cancel();
    verify(net, never()).requestStream(eq(b.publicKey()), any(), any(), any());
    assertEquals(0, abandoned.get(), "a cancelled call abandons nothing");
    assertEquals("ERR_CANCELLED", ((ClientException) s.done().handle((ok, e) -> e).join()).code());
  }

  @Test
  void shouldStreamFromAGatewayALaterLookupFindsWhenTheFirstFindsNone() {
    when(net.lookup(GatewayFinder.TOPIC, true)).thenReturn(CompletableFuture.completedFuture(List.of()));
    when(net.lookup(GatewayFinder.TOPIC, false)).thenReturn(CompletableFuture.completedFuture(List.of()),
        CompletableFuture.completedFuture(List.of(a)));
    when(net.requestStream(eq(a.publicKey()), eq(NetworkNames.INFER), any(), any())).thenReturn(callA);
    java.time.Instant start = clock.instant();
    FailoverStream s = stream(new GatewayFinder(net, clock, Duration.ofSeconds(30),
        new GatewayWait(Duration.ofSeconds(2), clock, clock::advance)));

    StreamListener first = opened(a, callA);
    first.onChunk(0, new InferChunk("found late").toJson());
    first.onEnd(end());
    assertEquals("found late", s.done().join().text());
    assertEquals(Duration.ofMillis(150), Duration.between(start, clock.instant()),
        "two pauses: 50 ms, then 100 ms");
  }

  private GatewayFinder gateways(PeerRef... found) {
    when(net.lookup(GatewayFinder.TOPIC, true)).thenReturn(CompletableFuture.completedFuture(List.of(found)));
    when(net.lookup(GatewayFinder.TOPIC, false)).thenReturn(CompletableFuture.completedFuture(List.of(found)));
    when(net.requestStream(eq(a.publicKey()), eq(NetworkNames.INFER), any(), any())).thenReturn(callA);
    when(net.requestStream(eq(b.publicKey()), eq(NetworkNames.INFER), any(), any())).thenReturn(callB);
    return new GatewayFinder(net, clock, Duration.ofSeconds(30));
  }

  private FailoverStream stream(GatewayFinder finder) {
    ObjectNode payload = Json.object().put("model", "m");
    return new FailoverStream(net, finder, payload, tokens::add,
        new FirstReplyDeadline(scheduler, DEADLINE, abandoned::incrementAndGet), Runnable::run).start();
  }

  /** The listener of the stream opened to {@code gateway} (attempts run on the test's thread). */
  private StreamListener opened(PeerRef gateway, StreamCall call) {
    ArgumentCaptor<StreamListener> listener = ArgumentCaptor.forClass(StreamListener.class);
    verify(net).requestStream(eq(gateway.publicKey()), eq(NetworkNames.INFER), any(), listener.capture());
    return listener.getValue();
  }

  private static com.fasterxml.jackson.databind.JsonNode end() {
    return InferEnd.fromProcessor("m", "stop", new Usage(1, 1), Timings.processor(0, 0, 0)).relayed("p", 1,
        Timings.processor(0, 0, 0)).toJson();
  }
}
