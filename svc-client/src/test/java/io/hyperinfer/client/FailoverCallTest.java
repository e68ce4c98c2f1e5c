package io.hyperinfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.RequestOptions;
import io.hyperinfer.worker.net.spi.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Request/response calls across gateways: which wait the first-reply deadline, which may be repeated elsewhere. */
class FailoverCallTest {
  private static final Duration DEADLINE = Duration.ofSeconds(2);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final PeerRef a = TestKeys.peer(1);
  private final PeerRef b = TestKeys.peer(2);
  private final ManualClock clock = new ManualClock();
  private final AtomicLong abandoned = new AtomicLong();
  private final ScriptedGateways gateways = new ScriptedGateways().found(true, a, b).found(false, a, b);
  private final GatewayFinder finder = new GatewayFinder(gateways.net(), clock, Duration.ofSeconds(30));
  private final JsonNode ok = Json.object().put("ok", true);

  @Test
  void shouldAskTheNextGatewayWhenARetrySafeCallGetsNoReplyWithinTheFirstReplyDeadline() {
    reply(a, "models", RequestOptions.timeout(DEADLINE), failed(NetException.timeout("models")));
    reply(b, "models", RequestOptions.timeout(TIMEOUT), CompletableFuture.completedFuture(ok));

    assertEquals(ok, call("models", true));
    assertEquals(1, abandoned.get());
    assertEquals(List.of(b, a), finder.candidates(false));
    clock.advance(Duration.ofSeconds(30));
    assertEquals(List.of(b, a), finder.candidates(false), "b answered last, a is healthy again");
  }

  @Test
  void shouldNotRepeatACallThatIsNotRetrySafeWhenItsGatewayMayHaveHandledIt() {
    reply(a, "createApiKey", RequestOptions.timeout(TIMEOUT), failed(NetException.connectionLost("a")));

    ClientException e = assertThrows(ClientException.class, () -> call("createApiKey", false));

    assertEquals("ERR_CONNECTION_LOST", e.code());
    assertFalse(gateways.asked(b));
    assertEquals(List.of(b, a), finder.candidates(false), "the next call starts on the other gateway");
  }

  @Test
  void shouldSendACallThatIsNotRetrySafeToTheNextGatewayWhenTheFirstWasUnreachable() {
    reply(a, "register", RequestOptions.timeout(TIMEOUT), failed(NetException.peerUnavailable("a")));
    reply(b, "register", RequestOptions.timeout(TIMEOUT), CompletableFuture.completedFuture(ok));

    assertEquals(ok, call("register", false));
    assertEquals(0, abandoned.get());
  }

  @Test
  void shouldPassOnAGatewaysOwnErrorWithoutTryingAnother() {
    reply(a, "login", RequestOptions.timeout(DEADLINE),
        failed(new NetException("ERR_AUTH_UNAVAILABLE", "auth down", null)));

    assertEquals("ERR_AUTH_UNAVAILABLE", assertThrows(ClientException.class, () -> call("login", true)).code());
    assertFalse(gateways.asked(b));
  }

  @Test
  void shouldLookAgainAndCallTheGatewayWhenTheFirstLookupsFindNone() {
    ScriptedGateways starting = new ScriptedGateways().found(true).found(false).found(false, a);
    starting.reply(a, "register", RequestOptions.timeout(TIMEOUT), CompletableFuture.completedFuture(ok));
    List<Duration> pauses = new java.util.ArrayList<>();
    GatewayFinder waiting = new GatewayFinder(starting.net(), clock, Duration.ofSeconds(30),
        new GatewayWait(Duration.ofSeconds(2), clock, d -> {
          pauses.add(d);
          clock.advance(d);
        }));

    assertEquals(ok, call(starting.net(), waiting, "register", false));
    assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100)), pauses);
  }

  @Test
  void shouldFailWithNoGatewayOnceTheWaitIsSpentWhenNoGatewayAnnounces() {
    ScriptedGateways empty = new ScriptedGateways().found(true).found(false);
    java.time.Instant start = clock.instant();
    GatewayFinder waiting = new GatewayFinder(empty.net(), clock, Duration.ofSeconds(30),
        new GatewayWait(Duration.ofSeconds(2), clock, clock::advance));

    ClientException e = assertThrows(ClientException.class, () -> call(empty.net(), waiting, "models", true));

    assertEquals("ERR_NO_GATEWAY", e.code());
    assertEquals(Duration.ofSeconds(2), Duration.between(start, clock.instant()), "bounded by client.gatewayWait");
    assertFalse(empty.askedAny());
  }

  private JsonNode call(String method, boolean retrySafe) {
    return call(gateways.net(), finder, method, retrySafe);
  }

  private JsonNode call(NetFacility on, GatewayFinder finding, String method, boolean retrySafe) {
    FirstReplyDeadline deadline = new FirstReplyDeadline(new ManualScheduler(clock), DEADLINE,
        abandoned::incrementAndGet);
    return new FailoverCall(on, finding, deadline, TIMEOUT, retrySafe).call(method, Json.object());
  }

  private void reply(PeerRef gateway, String method, RequestOptions options, CompletableFuture<JsonNode> reply) {
    gateways.reply(gateway, method, options, reply);
  }

  private static CompletableFuture<JsonNode> failed(NetException e) {
    return CompletableFuture.failedFuture(e);
  }
}
