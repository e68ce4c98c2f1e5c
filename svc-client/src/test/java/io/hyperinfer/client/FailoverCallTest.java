package io.hyperinfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

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
  private final NetFacility net = mock(NetFacility.class);
  private final GatewayFinder finder = new GatewayFinder(net, clock, Duration.ofSeconds(30));
  private final JsonNode ok = Json.object().put("ok", true);

  FailoverCallTest() {
    when(net.lookup(GatewayFinder.TOPIC, true)).thenReturn(CompletableFuture.completedFuture(List.of(a, b)));
    when(net.lookup(GatewayFinder.TOPIC, false)).thenReturn(CompletableFuture.completedFuture(List.of(a, b)));
  }

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
    verify(net, never()).request(eq(b.publicKey()), any(), any(), any());
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
    verify(net, never()).request(eq(b.publicKey()), any(), any(), any());
  }

  @Test
  void shouldLookAgainAndCallTheGatewayWhenTheFirstLookupsFindNone() {
    NetFacility starting = mock(NetFacility.class);
    when(starting.lookup(GatewayFinder.TOPIC, true)).thenReturn(CompletableFuture.completedFuture(List.of()));
    when(starting.lookup(GatewayFinder.TOPIC, false)).thenReturn(CompletableFuture.completedFuture(List.of()),
        CompletableFuture.completedFuture(List.of(a)));
    when(starting.request(eq(a.publicKey()), eq("register"), any(), eq(RequestOptions.timeout(TIMEOUT))))
        .thenReturn(CompletableFuture.completedFuture(ok));
    List<Duration> pauses = new java.util.ArrayList<>();
    GatewayFinder waiting = new GatewayFinder(starting, clock, Duration.ofSeconds(30),
        new GatewayWait(Duration.ofSeconds(2), clock, d -> {
          pauses.add(d);
          clock.advance(d);
        }));

    assertEquals(ok, call(starting, waiting, "register", false));
    assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100)), pauses);
  }

  @Test
  void shouldFailWithNoGatewayOnceTheWaitIsSpentWhenNoGatewayAnnounces() {
    NetFacility empty = mock(NetFacility.class);
    when(empty.lookup(eq(GatewayFinder.TOPIC), org.mockito.ArgumentMatchers.anyBoolean()))
        .thenReturn(CompletableFuture.completedFuture(List.of()));
    java.time.Instant start = clock.instant();
    GatewayFinder waiting = new GatewayFinder(empty, clock, Duration.ofSeconds(30),
        new GatewayWait(Duration.ofSeconds(2), clock, clock::advance));

    ClientException e = assertThrows(ClientException.class, () -> call(empty, waiting, "models", true));

    assertEquals("ERR_NO_GATEWAY", e.code());
    assertEquals(Duration.ofSeconds(2), Duration.between(start, clock.instant()), "bounded by client.gatewayWait");
    verify(empty, never()).request(any(), any(), any(), any());
  }

  private JsonNode call(String method, boolean retrySafe) {
    return call(net, finder, method, retrySafe);
  }

  private JsonNode call(NetFacility on, GatewayFinder gateways, String method, boolean retrySafe) {
    FirstReplyDeadline deadline = new FirstReplyDeadline(new ManualScheduler(clock), DEADLINE,
        abandoned::incrementAndGet);
    return new FailoverCall(on, gateways, deadline, TIMEOUT, retrySafe).call(method, Json.object());
  }

  private void reply(PeerRef gateway, String method, RequestOptions options, CompletableFuture<JsonNode> reply) {
    when(net.request(eq(gateway.publicKey()), eq(method), any(), eq(options))).thenReturn(reply);
  }

  private static CompletableFuture<JsonNode> failed(NetException e) {
    return CompletableFuture.failedFuture(e);
  }
}
