package io.hyperinfer.worker.net.memory;

import static io.hyperinfer.worker.net.spi.NetFixture.await;
import static io.hyperinfer.worker.net.spi.NetFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.RequestOptions;
import io.hyperinfer.worker.net.RpcCall;
import io.hyperinfer.worker.net.spi.NetFixture;
import io.hyperinfer.worker.net.spi.TransportNetFacility;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
  private static NetFixture<MemoryNetwork> memory(long seed) {
    return MemoryNetworkTest.memory(seed);
  }

  private static final int REQUESTS = 200;

  /** Outcome of each request (ok, or the error code) on a network with drops and failures. */
  private static List<String> outcomes(long seed) {
    try (NetFixture<MemoryNetwork> net = memory(seed)) {
      net.network.setDropRate(0.2);
      net.network.setFailureRate(0.2);
      TransportNetFacility server = net.peer();
      TransportNetFacility client = net.peer();
      server.respond("n", RpcCall::payload);
      List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        replies.add(client.request(server.publicKey(), "n", IntNode.valueOf(i),
            RequestOptions.timeout(Duration.ofSeconds(1))));
      }
      long dropped = net.network.dropped();
      Awaitility.await().atMost(Duration.ofSeconds(5))
          .until(() -> replies.stream().filter(CompletableFuture::isDone).count() == REQUESTS - dropped);
      net.advance(Duration.ofSeconds(1));
      List<String> out = new ArrayList<>();
      for (CompletableFuture<JsonNode> reply : replies) {
        out.add(reply.isCompletedExceptionally() ? failure(reply).code() : "ok");
      }
      return out;
    }
  }

  @Test
  void shouldRepeatEveryOutcomeWhenSeedIsTheSame() {
    List<String> first = outcomes(1234);
    assertEquals(first, outcomes(1234));
    assertTrue(first.contains("ok"));
    assertTrue(first.contains(NetException.ERR_TIMEOUT));
    assertTrue(first.contains(NetException.ERR_PEER_UNAVAILABLE));
    assertNotEquals(first, outcomes(4321));
  }

  @Test
  void shouldDelayDeliveryWhenLatencyIsSet() {
    try (NetFixture<MemoryNetwork> net = memory(5)) {
      net.network.setLatency(Duration.ofMillis(10), Duration.ofMillis(10));
      TransportNetFacility server = net.peer();
      TransportNetFacility client = net.peer();
      server.respond("n", RpcCall::payload);
      CompletableFuture<JsonNode> reply = client.request(server.publicKey(), "n", IntNode.valueOf(1));
      net.advance(Duration.ofMillis(9));
      assertEquals(0, server.inFlight());
      net.advance(Duration.ofMillis(1));
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> net.registry.find("hyperinfer.rpc.server")
          .tag("outcome", "ok").timer() != null);
      assertTrue(!reply.isDone());
      net.advance(Duration.ofMillis(10));
      assertEquals(1, await(reply).asInt());
    }
  }

  @Test
  void shouldRefuseInvalidFaultSettingsWhenConfiguring() {
    MemoryNetwork network = new MemoryNetwork();
    assertThrows(IllegalArgumentException.class, () -> network.setDropRate(1.5));
    assertThrows(IllegalArgumentException.class, () -> network.setFailureRate(-0.1));
    assertThrows(IllegalArgumentException.class, () -> network.setFailureRate(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> network.setLatency(Duration.ofMillis(5), Duration.ofMillis(1)));
    assertThrows(IllegalArgumentException.class, () -> network.setLatency(Duration.ofMillis(-1), Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> network.setAnnounceTtl(Duration.ZERO));
    assertEquals(MemoryNetwork.DEFAULT_ANNOUNCE_TTL, network.announceTtl());
    assertEquals(List.of(), network.attachedPeers());
  }
}
