package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hyperinfer.worker.net.PeerRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
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

  /** Counts {@code connection}'s channel as the listener hears of it, ends it {@code how}, and reports its close. */
  private PeerRef openThenClose(HalfOpenConnection connection, Consumer<HalfOpenConnection> how) throws Exception {
    PeerRef them = new PeerRef(connection.peerKeys().publicKey());
    connections.onConnected(connection.client().connection(), false);
    connections.onOpen(them.publicKey(), connection.session(), false);
    how.accept(connection);
    connection.awaitClosed();
    connections.onClose(them.publicKey(), connection.session(), false);
    return them;
  }

  @Test
  void shouldReportPeerLostWhenItsOnlyConnectionTimedOutBeforeThePeersOpenArrived() throws Exception {
    PeerRef them = openThenClose(HalfOpenConnection.start(), HalfOpenConnection::timeOut);

    assertEquals(List.of(them), lost, "the peer may have served our calls on it, its open on the way, when it died");
  }

  @Test
  void shouldNotReportPeerLostWhenItClosedItsOnlyConnectionWithoutOpeningItsChannel() throws Exception {
    PeerRef them = openThenClose(HalfOpenConnection.start(), HalfOpenConnection::peerCloses);

    assertEquals(List.of(), lost);
    assertEquals(0, connections.count(them));
  }
}
