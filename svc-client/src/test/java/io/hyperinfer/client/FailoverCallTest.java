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

  private JsonNode call(String method, boolean retrySafe) {
    FirstReplyDeadline deadline = new FirstReplyDeadline(new ManualScheduler(clock), DEADLINE,
        abandoned::incrementAndGet);
    return new FailoverCall(net, finder, deadline, TIMEOUT, retrySafe).call(method, Json.object());
  }

  private void reply(PeerRef gateway, String method, RequestOptions options, CompletableFuture<JsonNode> reply) {
    when(net.request(eq(gateway.publicKey()), eq(method), any(), eq(options))).thenReturn(reply);
  }

  private static CompletableFuture<JsonNode> failed(NetException e) {
    return CompletableFuture.failedFuture(e);
  }
}
