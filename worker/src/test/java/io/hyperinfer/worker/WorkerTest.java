package io.hyperinfer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.spi.LoopbackNetwork;
import io.hyperinfer.worker.store.MemoryStoreFacility;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerTest {
  private final LoopbackNetwork network = new LoopbackNetwork();
  private final List<String> journal = new CopyOnWriteArrayList<>();
  private final List<Worker> workers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (Worker w : workers) {
      w.stop().get(5, TimeUnit.SECONDS);
    }
  }

  private TestWorker worker(Config config, Facilities facilities, TestWorker.Step onStart, TestWorker.Step onStop) {
    TestWorker w = new TestWorker(new WorkerContext("test", "test", "w" + workers.size()), config, facilities,
        journal, onStart, onStop);
    workers.add(w);
    return w;
  }

  private Facilities facilities() {
    return Facilities.of(network.facility(), new MemoryStoreFacility());
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(5, TimeUnit.SECONDS);
  }

  private static WorkerStartException startFailure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return assertInstanceOf(WorkerStartException.class, e.getCause());
    }
    throw new AssertionError("start succeeded");
  }

  @Test
  void shouldStartFacilitiesByPriorityThenOnStartWhenStarting() throws Exception {
    Facilities f = facilities();
    MemoryStoreFacility store = (MemoryStoreFacility) f.store();
    List<String> seen = new CopyOnWriteArrayList<>();
    f = f.with(new RecordingFacility("between", 15, journal, ctx -> seen.add("store open " + store.isOpen()
        + ", net attached " + network.attachedPeers().size())))
        .with(new RecordingFacility("first", 5, journal, ctx -> seen.add("store open " + store.isOpen())))
        .with(new RecordingFacility("last", 30, journal));
    TestWorker w = worker(Config.empty(), f, x -> {}, x -> {});
    assertEquals(WorkerState.NEW, w.state());
    await(w.start());
    assertTrue(w.isReady());
    await(w.ready());
    assertEquals(List.of("start first", "start between", "start last", "onStart"), journal);
    assertEquals(List.of("store open false", "store open true, net attached 0"), seen);
    assertEquals(1, network.attachedPeers().size());
  }

  @Test
  void shouldDrainThenStopWorkerThenFacilitiesInReverseWhenStopping() throws Exception {
    Facilities f = facilities().with(new RecordingFacility("a", 15, journal))
        .with(new RecordingFacility("b", 25, journal));
    TestWorker w = worker(Config.empty(), f, x -> {}, x -> {});
    await(w.start());
    journal.clear();
    await(w.stop());
    assertEquals(List.of("drain b", "drain a", "onStop", "stop b", "stop a"), journal);
    assertEquals(WorkerState.STOPPED, w.state());
    assertEquals(List.of(), network.attachedPeers());
    assertFalse(((MemoryStoreFacility) f.store()).isOpen());
    await(w.stop());
  }

  @Test
  void shouldStopStartedFacilitiesAndNameStepWhenFacilityFailsToStart() throws Exception {
    Facilities f = facilities().with(new RecordingFacility("early", 5, journal))
        .with(new RecordingFacility("cache", 15, journal, ctx -> {
          throw new IllegalStateException("cache disk full");
        }));
    TestWorker w = worker(Config.empty(), f, x -> {}, x -> {});
    WorkerStartException e = startFailure(w.start());
    assertEquals("facility cache", e.step());
    assertTrue(e.getMessage().contains("cache disk full"));
    assertTrue(e.getMessage().contains("test/w0"));
    assertEquals(List.of("start early", "start cache", "stop cache", "stop early"), journal);
    assertEquals(WorkerState.FAILED, w.state());
    assertFalse(((MemoryStoreFacility) f.store()).isOpen());
    assertEquals(List.of(), network.attachedPeers());
    assertInstanceOf(WorkerStartException.class, assertFails(w.ready()));
    await(w.stop());
  }

  @Test
  void shouldStopEverythingWhenOnStartFails() throws Exception {
    TestWorker w = worker(Config.empty(), facilities(), x -> {
      throw new NetException("ERR_SETUP", "cannot register");
    }, x -> {});
    WorkerStartException e = startFailure(w.start());
    assertEquals("onStart", e.step());
    assertEquals(List.of(), network.attachedPeers());
    assertFalse(w.isReady());
  }

  @Test
  void shouldFailAtConfigStepWithKeyPathWhenConfigIsInvalid() throws Exception {
    Config bad = ConfigLoader.withOverrides(Config.empty(), List.of("worker.drainTimeout=soon"));
    WorkerStartException e = startFailure(worker(bad, facilities(), x -> {}, x -> {}).start());
    assertEquals("config", e.step());
    assertTrue(e.getMessage().contains("worker.drainTimeout"), e.getMessage());
    assertEquals("worker.drainTimeout", ((ConfigException) e.getCause()).path());
    assertEquals(List.of(), journal);
  }

  @Test
  void shouldFailWithIllegalStateWhenStartedTwice() throws Exception {
    TestWorker w = worker(Config.empty(), facilities(), x -> {}, x -> {});
    await(w.start());
    WorkerException e = assertInstanceOf(WorkerException.class, assertFails(w.start()));
    assertEquals(WorkerException.Code.ILLEGAL_STATE, e.code());
  }

  @Test
  void shouldStopWithoutStartingWhenStoppedBeforeStart() throws Exception {
    TestWorker w = worker(Config.empty(), facilities(), x -> {}, x -> {});
    await(w.stop());
    assertEquals(WorkerState.STOPPED, w.state());
    assertInstanceOf(WorkerException.class, assertFails(w.ready()));
    assertInstanceOf(WorkerException.class, assertFails(w.start()));
  }

  @Test
  void shouldFinishStartThenStopWhenStopArrivesDuringStart() throws Exception {
    CountDownLatch inStart = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TestWorker w = worker(Config.empty(), facilities(), x -> {
      inStart.countDown();
      release.await(5, TimeUnit.SECONDS);
    }, x -> {});
    w.start();
    assertTrue(inStart.await(5, TimeUnit.SECONDS));
    CompletableFuture<Void> stopped = w.stop();
    assertFalse(stopped.isDone());
    release.countDown();
    await(stopped);
    assertEquals(WorkerState.STOPPED, w.state());
  }

  @Test
  void shouldWaitForInFlightRequestWhenStopping() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TestWorker server = worker(Config.empty(), facilities(), x -> x.netForTest().respond("work", call -> {
      entered.countDown();
      release.await(5, TimeUnit.SECONDS);
      return TextNode.valueOf("finished");
    }), x -> {});
    TestWorker client = worker(Config.empty(), facilities(), x -> {}, x -> {});
    await(server.start());
    await(client.start());
    CompletableFuture<JsonNode> reply = client.netForTest().request(server.netForTest().publicKey(), "work", null);
    assertTrue(entered.await(5, TimeUnit.SECONDS));
    CompletableFuture<Void> stopped = server.stop();
    assertEquals(WorkerState.STOPPING, server.state());
    release.countDown();
    assertEquals("finished", await(reply).asText());
    await(stopped);
  }

  @Test
  void shouldGiveUpDrainWhenDrainTimeoutPasses() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    Config quick = ConfigLoader.withOverrides(Config.empty(), List.of("worker.drainTimeout=\"20ms\""));
    TestWorker server = worker(quick, facilities(), x -> x.netForTest().respond("hang", call -> {
      entered.countDown();
      new CountDownLatch(1).await(10, TimeUnit.SECONDS);
      return null;
    }), x -> {
      throw new IllegalStateException("onStop failure is logged, not thrown");
    });
    TestWorker client = worker(Config.empty(), facilities(), x -> {}, x -> {});
    await(server.start());
    await(client.start());
    CompletableFuture<JsonNode> reply = client.netForTest().request(server.netForTest().publicKey(), "hang", null);
    assertTrue(entered.await(5, TimeUnit.SECONDS));
    await(server.stop());
    assertEquals(WorkerState.STOPPED, server.state());
    assertInstanceOf(NetException.class, assertFails(reply));
  }

  @Test
  void shouldAnswerMetricsMethodWhenAnyWorkerIsAsked() throws Exception {
    TestWorker server = worker(Config.empty(), facilities(), x -> x.netForTest().respond("ping", c -> null),
        x -> {});
    TestWorker client = worker(Config.empty(), facilities(), x -> {}, x -> {});
    await(server.start());
    await(client.start());
    await(client.netForTest().request(server.netForTest().publicKey(), "ping", null));
    JsonNode metrics = await(client.netForTest().request(server.netForTest().publicKey(), "metrics", null));
    boolean sawPing = false;
    for (JsonNode m : metrics.get("meters")) {
      if (m.get("name").asText().equals("hyperinfer.rpc.server") && m.get("tags").get("method").asText()
          .equals("ping")) {
        sawPing = m.get("values").get("count").asDouble() == 1.0;
      }
    }
    assertTrue(sawPing, metrics.toString());
  }

  private static Throwable assertFails(CompletableFuture<?> f) throws Exception {
    try {
      f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("future succeeded");
  }

  @Test
  void shouldAllowOnlyLifecycleTransitionsWhenAsked() {
    assertTrue(WorkerState.NEW.canMoveTo(WorkerState.STARTING));
    assertTrue(WorkerState.NEW.canMoveTo(WorkerState.STOPPED));
    assertTrue(WorkerState.STARTING.canMoveTo(WorkerState.READY));
    assertTrue(WorkerState.STARTING.canMoveTo(WorkerState.FAILED));
    assertTrue(WorkerState.READY.canMoveTo(WorkerState.STOPPING));
    assertTrue(WorkerState.STOPPING.canMoveTo(WorkerState.STOPPED));
    assertFalse(WorkerState.READY.canMoveTo(WorkerState.STARTING));
    assertFalse(WorkerState.STOPPED.canMoveTo(WorkerState.STARTING));
    assertFalse(WorkerState.FAILED.canMoveTo(WorkerState.READY));
    assertFalse(WorkerState.NEW.canMoveTo(WorkerState.READY));
  }

  @Test
  void shouldRefuseBlankNamesWhenContextIsBuilt() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new WorkerContext(" ", "test", "1"));
    assertEquals("auth/a1", new WorkerContext("auth", "dev", "a1").label());
  }
}
