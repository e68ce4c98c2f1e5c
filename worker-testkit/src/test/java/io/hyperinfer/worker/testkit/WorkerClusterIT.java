package io.hyperinfer.worker.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.PeerReply;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several workers of one type behind a topic, on a lossy network, through restarts. */
@Timeout(60)
class WorkerClusterIT {
  private final TestWorkers workers = new TestWorkers();

  @AfterEach
  void tearDown() {
    workers.stopAll();
  }

  @Test
  void shouldServeEveryTopicRequestWhenConnectionsFailAtRandom() throws Exception {
    TestNetwork net = TestNetwork.realTime(7);
    for (int i = 0; i < 3; i++) {
      workers.start(new EchoWorker(net.facilities(), false));
    }
    EchoWorker client = workers.start(new EchoWorker(net.facilities(), false));
    net.setLatency(Duration.ZERO, Duration.ofMillis(2));
    net.setFailureRate(0.05);
    for (int i = 0; i < 200; i++) {
      assertEquals(i, client.network().topicRequest("echo", "echo", IntNode.valueOf(i)).get(10, TimeUnit.SECONDS)
          .asInt());
    }
  }

  @Test
  void shouldKeepServingAndKeepIdentityWhenAnAnnouncerRestarts() throws Exception {
    TestNetwork net = TestNetwork.realTime(8);
    RamStorage storage = new RamStorage();
    EchoWorker first = workers.start(new EchoWorker(net.facilities(storage), false));
    workers.start(new EchoWorker(net.facilities(), false));
    EchoWorker client = workers.start(new EchoWorker(net.facilities(), false));
    String key = first.identity().publicKeyHex();
    assertEquals(3, client.network().lookup("echo", false).get().size());

    workers.stop(first);
    for (int i = 0; i < 20; i++) {
      assertEquals(i, client.network().topicRequest("echo", "echo", IntNode.valueOf(i)).get(10, TimeUnit.SECONDS)
          .asInt());
    }
    EchoWorker again = workers.start(new EchoWorker(TestDataFactory.context("echo"), net.facilities(storage)));
    assertEquals(key, again.identity().publicKeyHex());
    List<PeerReply> replies = client.network().topicRequestAll("echo", "echo", IntNode.valueOf(1))
        .get(10, TimeUnit.SECONDS);
    Set<PeerRef> answered = new HashSet<>();
    replies.forEach(r -> {
      assertTrue(r.isOk());
      answered.add(r.peer());
    });
    assertTrue(answered.contains(PeerRef.ofHex(key)));
  }
}
