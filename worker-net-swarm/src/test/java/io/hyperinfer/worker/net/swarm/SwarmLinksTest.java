package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.hyperdht.HyperDhtException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** The decisions {@link SwarmLinks} and {@link SwarmTransport} take around a deduplication, without sockets. */
class SwarmLinksTest {
  private static final long OPENED = 5_000_000_000L;

  @Test
  void shouldKeepOurDialWhenItOpenedUnderASecondAgoOrIsNotHandedOutYet() {
    assertTrue(SwarmLinks.fresh(null, OPENED), "a dial that opened but is not handed out yet");
    assertTrue(SwarmLinks.fresh(OPENED, OPENED + SwarmLinks.FRESH.toNanos() - 1));
    assertFalse(SwarmLinks.fresh(OPENED, OPENED + SwarmLinks.FRESH.toNanos()));
  }

  @Test
  void shouldKeepCallersWaitingWhenTheirDialLostADeduplication() {
    assertTrue(SwarmLinks.lostDeduplication(new CancellationException()));
    assertTrue(SwarmLinks.lostDeduplication(HyperDhtException.of(HyperDhtException.Code.PEER_CONNECTION_FAILED)));
    assertFalse(SwarmLinks.lostDeduplication(HyperDhtException.of(HyperDhtException.Code.PEER_NOT_FOUND)));
    assertFalse(SwarmLinks.lostDeduplication(new IllegalStateException("closed")));
  }

  @Test
  void shouldResendWithinTheFirstAttemptsTimeoutWhenResent() {
    assertEquals(null, SwarmTransport.remaining(null, 0));
    long now = System.nanoTime();
    assertEquals(Duration.ofMillis(1), SwarmTransport.remaining(Duration.ofSeconds(5), now - 1));
    Duration left = SwarmTransport.remaining(Duration.ofSeconds(5), now + Duration.ofSeconds(5).toNanos());
    assertTrue(left.compareTo(Duration.ofSeconds(4)) > 0 && left.compareTo(Duration.ofSeconds(5)) <= 0, left.toString());
  }
}
