package io.hyperinfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayFinderTest {
  private final PeerRef a = TestKeys.peer(0);
  private final PeerRef b = TestKeys.peer(1);

  @Test
  void shouldPutLastAnsweringGatewayFirstUntilItFails() {
    NetFacility net = new ScriptedGateways().found(true, a, b).found(false, a).net();
    GatewayFinder finder = new GatewayFinder(net);
    assertEquals(List.of(a, b), finder.candidates(false));
    finder.answered(b);
    assertEquals(List.of(b, a), finder.candidates(false));
    finder.failed(a);
    assertEquals(List.of(b, a), finder.candidates(false));
    finder.failed(b);
    assertEquals(List.of(a, b), finder.candidates(false));
    assertEquals(List.of(a), finder.candidates(true), "fresh lookups bypass the cache");
  }

  @Test
  void shouldTryAFailedGatewayLastUntilUnhealthyForHasPassed() {
    NetFacility net = new ScriptedGateways().found(false, a, b).net();
    io.hyperinfer.testkit.ManualClock clock = new io.hyperinfer.testkit.ManualClock();
    GatewayFinder finder = new GatewayFinder(net, clock, java.time.Duration.ofSeconds(30));
    finder.failed(a);
    assertEquals(List.of(b, a), finder.candidates(true), "kept, but last");
    clock.advance(java.time.Duration.ofSeconds(29));
    assertEquals(List.of(b, a), finder.candidates(true));
    clock.advance(java.time.Duration.ofSeconds(1));
    assertEquals(List.of(a, b), finder.candidates(true), "healthy again in lookup order");
    finder.failed(b);
    finder.answered(b);
    assertEquals(List.of(b, a), finder.candidates(true), "an answer clears the mark at once");
  }
}
