package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.worker.net.PeerRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnreachablePeersTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  private static PeerRef peer(int n) {
    byte[] key = new byte[32];
    key[0] = (byte) n;
    key[1] = (byte) (n >> 8);
    return new PeerRef(key);
  }

  @Test
  void shouldPutFailedPeerAsideUntilHoldPasses() {
    UnreachablePeers peers = new UnreachablePeers(clock);
    peers.failed(peer(1));
    assertEquals(List.of(peer(2)), peers.prefer(List.of(peer(1), peer(2))));
    now = now.plus(UnreachablePeers.HOLD);
    assertEquals(List.of(peer(1), peer(2)), peers.prefer(List.of(peer(1), peer(2))));
    assertFalse(peers.isHeld(peer(1)));
  }

  @Test
  void shouldReturnEveryPeerWhenAllAreAside() {
    UnreachablePeers peers = new UnreachablePeers(clock);
    peers.failed(peer(1));
    assertEquals(List.of(peer(1)), peers.prefer(List.of(peer(1))));
  }

  @Test
  void shouldForgetFailureWhenPeerIsReached() {
    UnreachablePeers peers = new UnreachablePeers(clock);
    peers.failed(peer(1));
    peers.reached(peer(1));
    assertFalse(peers.isHeld(peer(1)));
  }

  @Test
  void shouldDropOldestFailureWhenFull() {
    UnreachablePeers peers = new UnreachablePeers(clock);
    for (int i = 0; i <= UnreachablePeers.MAX_PEERS; i++) {
      peers.failed(peer(i));
    }
    assertFalse(peers.isHeld(peer(0)));
    assertTrue(peers.isHeld(peer(UnreachablePeers.MAX_PEERS)));
    peers.failed(peer(1));
    peers.failed(peer(UnreachablePeers.MAX_PEERS + 1));
    assertTrue(peers.isHeld(peer(1)), "a fresh failure is the newest again");
  }
}
