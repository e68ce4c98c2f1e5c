package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hyperinfer.worker.net.PeerRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerConnectionsTest {
  private final PeerRef peer = new PeerRef(new byte[32]);
  private final List<PeerRef> opened = new ArrayList<>();
  private final List<PeerRef> lost = new ArrayList<>();
  private final PeerConnections connections = new PeerConnections(opened::add, lost::add, Duration.ZERO);

  @Test
  void shouldReportPeerLostWhenItsLastConnectionCloses() {
    Object inbound = new Object();
    Object outbound = new Object();
    connections.opened(peer, inbound);
    connections.opened(peer, outbound);
    assertEquals(2, connections.count(peer));
    assertEquals(2, opened.size());
    connections.closed(peer, inbound, true);
    assertEquals(List.of(), lost);
    assertEquals(1, connections.peers());
    connections.closed(peer, outbound, true);
    assertEquals(List.of(peer), lost);
    assertEquals(0, connections.peers());
  }

  @Test
  void shouldIgnoreCloseWhenNoConnectionWasCounted() {
    connections.closed(peer, new Object(), true);
    connections.opened(peer, new Object());
    connections.closed(peer, new Object(), true);
    assertEquals(List.of(), lost);
    assertEquals(1, connections.count(peer));
  }

  @Test
  void shouldNotReportPeerLostWhenOnlyConnectionsThePeerNeverTookUpClose() {
    Object loser = new Object();
    connections.opened(peer, loser);
    connections.closed(peer, loser, false);
    assertEquals(List.of(), lost, "a deduplication's loser never carried a call of either side");
    assertEquals(0, connections.count(peer));
  }

  @Test
  void shouldReportPeerLostWhenTheLastCloserWasNotTakenUpButAnEarlierOneWas() {
    Object used = new Object();
    Object stillborn = new Object();
    connections.opened(peer, used);
    connections.opened(peer, stillborn);
    connections.closed(peer, used, true);
    assertEquals(List.of(), lost);
    connections.closed(peer, stillborn, false);
    assertEquals(List.of(peer), lost, "the calls on the used one are gone with it");
  }
}
