package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hyperinfer.worker.net.PeerRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerConnectionsTest {
  private final byte[] key = new byte[32];
  private final List<PeerRef> opened = new ArrayList<>();
  private final List<PeerRef> lost = new ArrayList<>();
  private final PeerConnections connections = new PeerConnections(opened::add, lost::add, Duration.ZERO);

  @Test
  void shouldReportPeerLostWhenItsLastConnectionCloses() {
    connections.onOpen(key, null, true);
    connections.onOpen(key, null, false);
    assertEquals(2, connections.count(new PeerRef(key)));
    assertEquals(2, opened.size());
    connections.onClose(key, null, true);
    assertEquals(List.of(), lost);
    assertEquals(1, connections.peers());
    connections.onClose(key, null, false);
    assertEquals(List.of(new PeerRef(key)), lost);
    assertEquals(0, connections.peers());
  }

  @Test
  void shouldIgnoreCloseWhenNoConnectionWasCounted() {
    connections.onClose(key, null, true);
    assertEquals(List.of(), lost);
  }
}
