package io.hyperinfer.systemtests;

import static io.hyperinfer.systemtests.ProcessCluster.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.app.launch.ProcessNetwork;
import io.hyperinfer.client.Answer;
import io.hyperinfer.client.ClientException;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.client.InferCall;
import io.hyperinfer.client.Prompt;
import io.hyperinfer.worker.testkit.TestDataFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Processes dying with SIGKILL on one network (two gateways, Auth, two processors streaming a token every 20 ms): a
 * processor mid-stream (the gateway ends the stream after 3 s without a chunk, {@code gateway.idleTimeout}), Auth during a burst of registrations (restarted: no acknowledged account or key lost), a
 * gateway under a client (which fails over to the other), then every processor. Each test but the last restarts what
 * it killed.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailureSystemTest {
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(4);
  private static ProcessCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = ProcessCluster.start(Files.createTempDirectory("failure-system-test-"), 2, 2,
        "{\"builtin\":{\"tokenDelay\":\"20ms\"}}", List.of("--set", "gateway.firstTokenTimeout=3s", "--set",
            "gateway.idleTimeout=3s", "--set", "gateway.authTimeout=2s", "--set", "gateway.statusInterval=500ms"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void shouldEndTheStreamWithATypedErrorAndServeTheNextOnTheOtherWhenAProcessorIsKilledMidStream() throws Exception {
    ClientWorker c = cluster.account();
    StringBuilder prompt = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      prompt.append("word").append(i).append(' ');
    }
    List<String> pieces = new CopyOnWriteArrayList<>();
    InferCall call = c.stream(Prompt.of(MODEL, prompt.toString().strip()), pieces::add);
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> pieces.size() >= 5);
    String busy = cluster.processorStreaming();
    assertEquals(137, cluster.processes.kill(busy));
    int before = pieces.size();

    CompletionException e = assertThrows(CompletionException.class, () -> call.done().join());
    ClientException failed = assertInstanceOf(ClientException.class, e.getCause());
    assertEquals("ERR_TIMEOUT", failed.code(), "the gateway's idle timeout ends it: " + failed.getMessage());
    assertTrue(pieces.size() < 150, "the stream must not complete: " + pieces.size() + " pieces");
    assertTrue(pieces.size() >= before, "pieces already delivered stay delivered");

    Answer next = c.infer(Prompt.of(MODEL, "after the kill"));
    assertTrue(next.text().endsWith("after the kill"), next.text());
    assertNotEquals(busy, cluster.processorNamed(next.processor()), "the survivor serves the next request");
    cluster.processes.restart(busy);
  }

  @Test
  @Order(2)
  void shouldLoseNoAcknowledgedRegistrationOrKeyWhenAuthIsKilledDuringABurst() throws Exception {
    Map<String, String> registered = new ConcurrentHashMap<>();
    Map<String, String> keys = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch enough = new CountDownLatch(8);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      ClientWorker c = cluster.client(CLIENT_TIMEOUT);
      writers.add(Thread.ofVirtual().start(() -> {
        while (!stop.get()) {
          String email = TestDataFactory.email();
          String password = TestDataFactory.password();
          try {
            c.register(email, password);
            registered.put(email, password);
            c.login(email, password);
            keys.put(email, c.createApiKey("burst").path("key").path("keyId").asText());
            enough.countDown();
          } catch (ClientException | CompletionException e) {
            failures.incrementAndGet();
          }
        }
      }));
    }
    assertTrue(enough.await(60, TimeUnit.SECONDS), "registrations should be acknowledged before the kill");
    assertEquals(137, cluster.processes.kill(ProcessNetwork.AUTH));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> failures.get() >= 4);
    stop.set(true);
    for (Thread w : writers) {
      w.join(Duration.ofSeconds(30));
    }
    cluster.processes.restart(ProcessNetwork.AUTH);

    ClientWorker checker = cluster.client(CLIENT_TIMEOUT);
    String someone = keys.keySet().iterator().next();
    Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> checker.login(someone, registered.get(someone)).has("session"));
    for (var account : registered.entrySet()) {
      checker.login(account.getKey(), account.getValue());
      String keyId = keys.get(account.getKey());
      if (keyId != null) {
        List<String> listed = checker.listApiKeys().path("keys").findValuesAsText("keyId");
        assertTrue(listed.contains(keyId), "acknowledged key " + keyId + " of " + account.getKey() + " lost");
      }
    }
    assertTrue(registered.size() >= 8, "registrations " + registered.size());
  }

  @Test
  @Order(3)
  void shouldFailOverToTheOtherGatewayWhenTheClientsGatewayIsKilled() throws Exception {
    ClientWorker c = cluster.signedIn(CLIENT_TIMEOUT);
    c.createApiKey("failover");
    long[] before = inferLines();
    assertTrue(c.infer(Prompt.of(MODEL, "warm")).text().endsWith("warm"));
    long[] after = inferLines();
    String used = after[0] > before[0] ? ProcessNetwork.gateway(1) : ProcessNetwork.gateway(2);
    String other = used.equals(ProcessNetwork.gateway(1)) ? ProcessNetwork.gateway(2) : ProcessNetwork.gateway(1);
    assertEquals(137, cluster.processes.kill(used));

    long servedByOther = cluster.logLines(other, "rpc infer from");
    for (int i = 0; i < 3; i++) {
      assertTrue(c.infer(Prompt.of(MODEL, "still here " + i)).text().endsWith("still here " + i));
      assertEquals(1, c.listApiKeys().path("keys").size());
    }
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> cluster.logLines(other, "rpc infer from") >= servedByOther + 3);
    cluster.restart(used);
  }

  @Test
  @Order(4)
  void shouldFailWithATypedErrorWhenEveryProcessorIsKilled() throws Exception {
    ClientWorker c = cluster.account();
    assertTrue(c.infer(Prompt.of(MODEL, "warm")).text().endsWith("warm"));
    assertEquals(137, cluster.processes.kill(ProcessNetwork.processor(1)));
    assertEquals(137, cluster.processes.kill(ProcessNetwork.processor(2)));

    ClientException e = assertThrows(ClientException.class, () -> c.infer(Prompt.of(MODEL, "anyone?")));
    // Still announced, the dead processors are tried (each silent past the first-token timeout) unless the gateway's
    // status polls have already taken them out: either way a typed error, never a hang.
    assertTrue(Set.of("ERR_PROCESSOR_FAILED", "ERR_NO_PROCESSOR").contains(e.code()), e.code() + ": " + e.getMessage());
    assertTrue(e.plainMessage().endsWith("[" + e.code() + "]"), e.plainMessage());
  }

  private static long[] inferLines() throws Exception {
    return new long[] {cluster.logLines(ProcessNetwork.gateway(1), "rpc infer from"),
        cluster.logLines(ProcessNetwork.gateway(2), "rpc infer from")};
  }
}
