package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The seams before start (or after stop): typed failures, nothing thrown at the machinery, no sockets. */
class SwarmSeamsTest {
  private static final byte[] TOPIC = new byte[32];
  private final SwarmNode node = new SwarmNode(null);

  @Test
  void shouldFailDiscoveryAsUnavailableWhenNodeIsNotOpen() {
    SwarmDiscovery discovery = new SwarmDiscovery(node);
    for (CompletableFuture<?> f : new CompletableFuture<?>[] {discovery.announce(TOPIC), discovery.lookup(TOPIC),
        discovery.unannounce(TOPIC)}) {
      ExecutionException e = assertThrows(ExecutionException.class, f::get);
      NetException net = assertInstanceOf(NetException.class, e.getCause());
      assertEquals(NetException.ERR_PEER_UNAVAILABLE, net.code());
      assertEquals("WorkerException", net.details().get("reason").asText());
    }
    discovery.close();
  }

  @Test
  void shouldDropEventsAndCountNoPeersWhenTransportIsNotOpen() {
    SwarmTransport transport = new SwarmTransport(node);
    transport.event(new PeerRef(new byte[32]), "note", new byte[0]);
    assertEquals(0, transport.connectedPeers());
    transport.close();
  }

  @Test
  void shouldRefuseNodeAccessWhenNotStarted() {
    assertThrows(WorkerException.class, node::dht);
    assertThrows(WorkerException.class, node::rpc);
    assertThrows(WorkerException.class, node::identity);
    assertNull(node.current());
    node.close();
  }
}
