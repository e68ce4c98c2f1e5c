package io.hyperinfer.worker.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.RequestOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TestNetworkTest {
  private final TestWorkers workers = new TestWorkers();

  @AfterEach
  void tearDown() {
    workers.stopAll();
  }

  @Test
  void shouldRouteTopicRequestsWhenWorkersShareTheNetwork() throws Exception {
    TestNetwork net = TestNetwork.manual(1);
    EchoWorker server = workers.start(new EchoWorker(net.facilities(), false));
    EchoWorker client = workers.start(new EchoWorker(net.facilities(), false));
    assertEquals(2, net.network().attachedPeers().size());
    JsonNode reply = client.network().topicRequest("echo", "echo", TextNode.valueOf("hi")).get(5, TimeUnit.SECONDS);
    assertEquals("hi", reply.asText());
    assertTrue(server.isReady());
  }

  @Test
  void shouldFireTimeoutOnlyWhenTestAdvancesTime() throws Exception {
    TestNetwork net = TestNetwork.manual(2);
    EchoWorker server = workers.start(new EchoWorker(net.facilities(), false));
    EchoWorker client = workers.start(new EchoWorker(net.facilities(), false));
    net.setDropRate(1.0);
    CompletableFuture<JsonNode> reply = client.network().request(server.publicKey(), "echo", null,
        RequestOptions.timeout(Duration.ofSeconds(3)));
    Instant before = net.clock().instant();
    net.advance(Duration.ofSeconds(2));
    assertFalse(reply.isDone());
    net.advance(Duration.ofSeconds(1));
    assertEquals(before.plusSeconds(3), net.manualClock().instant());
    ExecutionException e = assertThrows(ExecutionException.class, () -> reply.get(5, TimeUnit.SECONDS));
    assertEquals(NetException.ERR_TIMEOUT, ((NetException) e.getCause()).code());
    assertEquals(0, net.runDue());
  }

  @Test
  void shouldExposeFaultControlsWhenInjectingFailures() throws Exception {
    TestNetwork net = TestNetwork.manual(3);
    EchoWorker server = workers.start(new EchoWorker(net.facilities(), false));
    EchoWorker client = workers.start(new EchoWorker(net.facilities(), false));
    net.failPeer(server.publicKey());
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> client.network().request(server.publicKey(), "echo", null).get(5, TimeUnit.SECONDS));
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, ((NetException) e.getCause()).code());
    net.recoverPeer(server.publicKey());
    net.setFailureRate(0);
    net.setLatency(Duration.ofMillis(5), Duration.ofMillis(5));
    CompletableFuture<JsonNode> slow = client.network().request(server.publicKey(), "echo", TextNode.valueOf("x"));
    net.advance(Duration.ofMillis(5));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
      net.advance(Duration.ofMillis(5));
      return slow.isDone();
    });
    assertEquals("x", slow.get().asText());
  }

  @Test
  void shouldUseRealTimeWhenCreatedForRealTime() throws Exception {
    TestNetwork net = TestNetwork.realTime(4);
    assertEquals(Clock.systemUTC().getZone(), net.clock().getZone());
    assertThrows(IllegalStateException.class, () -> net.advance(Duration.ofSeconds(1)));
    assertThrows(IllegalStateException.class, net::manualClock);
    EchoWorker server = workers.start(new EchoWorker(net.facilities(), false));
    EchoWorker client = workers.start(new EchoWorker(net.facilities(new RamStorage()), false));
    assertEquals("r", client.network().request(server.publicKey(), "echo", TextNode.valueOf("r"))
        .get(5, TimeUnit.SECONDS).asText());
    assertTrue(net.facility() != net.facility());
  }
}
