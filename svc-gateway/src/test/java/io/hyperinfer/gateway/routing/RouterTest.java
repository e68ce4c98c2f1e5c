package io.hyperinfer.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final ManualClock clock = new ManualClock();
  private final Router router = new Router(clock, 2, Duration.ofSeconds(10), Duration.ofMillis(50));
  private final ProcessorRef a = new ProcessorRef("aa");
  private final ProcessorRef b = new ProcessorRef("bb");

  @Test
  void shouldSpreadByInFlightWhenLatenciesAreEqual() {
    assertEquals(Optional.of(a), router.choose(List.of(a, b), Set.of()));
    assertEquals(Optional.of(b), router.choose(List.of(a, b), Set.of()));
    router.onDone(a, true);
    assertEquals(Optional.of(a), router.choose(List.of(b, a), Set.of()));
  }

  @Test
  void shouldPreferFasterProcessorWhenLatencyIsKnown() {
    router.choose(List.of(a), Set.of());
    router.onFirstToken(a, Duration.ofMillis(500));
    router.onDone(a, true);
    assertEquals(Optional.of(b), router.choose(List.of(a, b), Set.of()));
    assertTrue((long) router.snapshot(a).get("latencyMs") > 50);
  }

  @Test
  void shouldSkipExcludedAndUnhealthyProcessors() {
    assertEquals(Optional.of(b), router.choose(List.of(a, b), Set.of(a)));
    router.onReport(a, 0, false);
    router.onDone(b, true);
    assertEquals(Optional.of(b), router.choose(List.of(a, b), Set.of()));
    assertEquals(Optional.empty(), router.choose(List.of(a, b), Set.of(b)));
  }

  @Test
  void shouldAvoidProcessorWithReportedQueue() {
    router.onReport(a, 5, true);
    assertEquals(Optional.of(b), router.choose(List.of(a, b), Set.of()));
  }

  @Test
  void shouldOpenCircuitAfterFailuresAndProbeAfterCooldown() {
    for (int i = 0; i < 2; i++) {
      router.choose(List.of(a), Set.of());
      router.onDone(a, false);
    }
    assertEquals("OPEN", router.snapshot(a).get("circuit"));
    assertEquals(Optional.empty(), router.choose(List.of(a), Set.of()));
    clock.advance(Duration.ofSeconds(10));
    assertEquals(Optional.of(a), router.choose(List.of(a), Set.of()));
    assertEquals(Optional.empty(), router.choose(List.of(a), Set.of()), "only one trial while half-open");
    router.onDone(a, false);
    assertEquals("OPEN", router.snapshot(a).get("circuit"));
    clock.advance(Duration.ofSeconds(10));
    assertEquals(Optional.of(a), router.choose(List.of(a), Set.of()));
    router.onDone(a, true);
    assertEquals("CLOSED", router.snapshot(a).get("circuit"));
  }

  @Test
  void shouldRoundTripKeyWhenBuiltFromBytes() {
    ProcessorRef p = ProcessorRef.of(new byte[] {1, 2, (byte) 0xff});
    assertEquals("0102ff", p.publicKeyHex());
    assertEquals(3, p.publicKey().length);
    assertEquals("0102ff", p.shortId());
  }
}
