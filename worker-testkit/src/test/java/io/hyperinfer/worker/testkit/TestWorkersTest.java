package io.hyperinfer.worker.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.worker.WorkerState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TestWorkersTest {
  @Test
  void shouldStopEveryStartedWorkerWhenStopAllRuns() {
    TestNetwork net = TestNetwork.manual(1);
    TestWorkers workers = new TestWorkers();
    EchoWorker a = workers.start(new EchoWorker(net.facilities(), false));
    EchoWorker b = workers.start(new EchoWorker(net.facilities(), false), Duration.ofSeconds(5));
    assertTrue(a.isReady() && b.isReady());
    workers.stopAll();
    assertEquals(WorkerState.STOPPED, a.state());
    assertEquals(WorkerState.STOPPED, b.state());
    assertEquals(0, net.network().attachedPeers().size());
  }

  @Test
  void shouldStopOneWorkerWhenAsked() {
    TestNetwork net = TestNetwork.manual(1);
    TestWorkers workers = new TestWorkers();
    EchoWorker a = workers.start(new EchoWorker(net.facilities(), false));
    workers.stop(a);
    assertEquals(WorkerState.STOPPED, a.state());
    workers.stopAll();
  }

  @Test
  void shouldFailWithWorkersOwnErrorWhenStartFails() {
    TestNetwork net = TestNetwork.manual(1);
    TestWorkers workers = new TestWorkers();
    AssertionError e = assertThrows(AssertionError.class,
        () -> workers.start(new EchoWorker(net.facilities(), true)));
    assertTrue(e.getMessage().contains("refusing to start"), e.getMessage());
    assertTrue(e.getMessage().contains("onStart"), e.getMessage());
    workers.stopAll();
  }

  @Test
  void shouldNameWorkerWhenReadyTimesOut() {
    TestNetwork net = TestNetwork.manual(1);
    EchoWorker never = new EchoWorker(net.facilities(), false);
    AssertionError e = assertThrows(AssertionError.class,
        () -> TestWorkers.awaitReady(never, Duration.ofMillis(10)));
    assertTrue(e.getMessage().contains(never.ctx().label()));
    assertTrue(e.getMessage().contains("NEW"));
  }

  @Test
  void shouldKeepIdentityWhenRestartedOnSameRamStorage() {
    TestNetwork net = TestNetwork.manual(1);
    RamStorage storage = new RamStorage();
    TestWorkers workers = new TestWorkers();
    EchoWorker first = workers.start(new EchoWorker(net.facilities(storage), false));
    assertTrue(storage.isOpen());
    String key = first.identity().publicKeyHex();
    workers.stop(first);
    EchoWorker second = workers.start(new EchoWorker(net.facilities(storage), false));
    assertEquals(key, second.identity().publicKeyHex());
    workers.stopAll();
  }
}
