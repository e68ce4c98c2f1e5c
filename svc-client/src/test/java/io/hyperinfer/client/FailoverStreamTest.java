package io.hyperinfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.infer.InferChunk;
import io.hyperinfer.contract.infer.InferEnd;
import io.hyperinfer.contract.infer.Timings;
import io.hyperinfer.contract.infer.Usage;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.StreamListener;
import io.hyperinfer.worker.net.spi.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The client's first-reply deadline on streamed calls, on a manual clock: gateways are scripted (ScriptedGateways). */
class FailoverStreamTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private final PeerRef a = TestKeys.peer(1);
  private final PeerRef b = TestKeys.peer(2);
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final AtomicLong abandoned = new AtomicLong();
  private final ScriptedGateways gateways = new ScriptedGateways();
  private final ScriptedGateways.Call callA = new ScriptedGateways.Call();
  private final ScriptedGateways.Call callB = new ScriptedGateways.Call();
  private final List<String> tokens = new CopyOnWriteArrayList<>();

  @Test
  void shouldCancelTheSilentGatewayAndAnswerFromTheNextWhenNoFrameComesWithinTheFirstReplyDeadline() {
    GatewayFinder finder = gateways(a, b);
    FailoverStream s = stream(finder);
    StreamListener first = gateways.opened(a);
    assertEquals(1, scheduler.pending(), "the first-reply deadline is armed");

    clock.advance(DEADLINE.minusMillis(1));
    scheduler.runDue();
    assertEquals(0, callA.cancels);
    clock.advance(Duration.ofMillis(1));
    scheduler.runDue();

    assertEquals(1, callA.cancels);
    StreamListener second = gateways.opened(b);
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
    StreamListener first = gateways.opened(a);
    clock.advance(DEADLINE.minusSeconds(1));
    first.onChunk(0, new InferChunk("in time").toJson());
    clock.advance(DEADLINE.multipliedBy(3));
    assertEquals(0, scheduler.pending(), "the first frame disarms the deadline");
    scheduler.runDue();
    first.onEnd(end());

    assertEquals("in time", s.done().join().text());
    assertEquals(0, callA.cancels);
    assertFalse(gateways.asked(b));
    assertEquals(0, abandoned.get());
  }

  @Test
  void shouldWaitOnTheLastGatewayLeftBecauseAbandoningItGainsNothing() {
    FailoverStream s = stream(gateways(a));
    StreamListener only = gateways.opened(a);
    assertEquals(0, scheduler.pending(), "no deadline armed");
    clock.advance(DEADLINE.multipliedBy(6));
    scheduler.runDue();
    assertFalse(s.done().isDone());
    assertEquals(0, callA.cancels);
    only.onChunk(0, new InferChunk("slow model").toJson());
    only.onEnd(end());
    assertEquals("slow model", s.done().join().text());
  }

  @Test
  void shouldNotStartAnotherAttemptWhenTheCallerCancelledBeforeTheDeadline() {
    FailoverStream s = stream(gateways(a, b));
    gateways.opened(a);
    s.cancel();
    clock.advance(DEADLINE);
    scheduler.runDue();
    assertEquals(1, callA.cancels);
    assertFalse(gateways.asked(b));
    assertEquals(0, abandoned.get(), "a cancelled call abandons nothing");
    assertEquals("ERR_CANCELLED", ((ClientException) s.done().handle((ok, e) -> e).join()).code());
  }

  @Test
  void shouldStreamFromAGatewayALaterLookupFindsWhenTheFirstFindsNone() {
    gateways.found(true).found(false).found(false, a);
    gateways.stream(a, callA);
    java.time.Instant start = clock.instant();
    FailoverStream s = stream(new GatewayFinder(gateways.net(), clock, Duration.ofSeconds(30),
        new GatewayWait(Duration.ofSeconds(2), clock, clock::advance)));

    StreamListener first = gateways.opened(a);
    first.onChunk(0, new InferChunk("found late").toJson());
    first.onEnd(end());
    assertEquals("found late", s.done().join().text());
    assertEquals(Duration.ofMillis(150), Duration.between(start, clock.instant()),
        "two pauses: 50 ms, then 100 ms");
  }

  private GatewayFinder gateways(PeerRef... found) {
    gateways.found(true, found).found(false, found);
    gateways.stream(a, callA);
    gateways.stream(b, callB);
    return new GatewayFinder(gateways.net(), clock, Duration.ofSeconds(30));
  }

  private FailoverStream stream(GatewayFinder finder) {
    ObjectNode payload = Json.object().put("model", "m");
    return new FailoverStream(gateways.net(), finder, payload, tokens::add,
        new FirstReplyDeadline(scheduler, DEADLINE, abandoned::incrementAndGet), Runnable::run).start();
  }

  private static com.fasterxml.jackson.databind.JsonNode end() {
    return InferEnd.fromProcessor("m", "stop", new Usage(1, 1), Timings.processor(0, 0, 0)).relayed("p", 1,
        Timings.processor(0, 0, 0)).toJson();
  }
}
