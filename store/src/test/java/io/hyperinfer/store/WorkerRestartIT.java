package io.hyperinfer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.testkit.TestNetwork;
import io.hyperinfer.worker.testkit.TestWorkers;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's storage-integration test: a worker on the disk store keeps its identity and data across restarts. */
class WorkerRestartIT {
  private final TestNetwork net = TestNetwork.realTime(7);
  private final TestWorkers workers = new TestWorkers();
  private final io.hyperinfer.worker.net.memory.MemoryNetFacility client = net.facility();

  @TempDir
  Path dir;

  @org.junit.jupiter.api.BeforeEach
  void startClient() throws Exception {
    client.start(new io.hyperinfer.worker.FacilityContext(new WorkerContext("client", "test", "1"), Config.empty(),
        net.clock(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
        io.hyperinfer.crypto.Ed25519::generate));
  }

  @AfterEach
  void stopAll() {
    workers.stopAll();
    client.stop();
  }

  /** A worker that counts visits in its bee and answers with the count. */
  static final class CounterWorker extends Worker {
    CounterWorker(Facilities facilities) {
      super(new WorkerContext("counter", "test", "1"), Config.empty(), facilities);
    }

    @Override
    protected void onStart() {
      net().respond("visit", call -> {
        var bee = store().bee("visits");
        long n = bee.getString("count").map(Long::parseLong).orElse(0L) + 1;
        bee.putString("count", Long.toString(n));
        return io.hyperinfer.worker.Json.MAPPER.getNodeFactory().numberNode(n);
      });
    }
  }

  private CounterWorker startOn(Path storeDir) {
    Facilities facilities = Facilities.of(net.facility(), new DiskStoreFacility(storeDir));
    return workers.start(new CounterWorker(facilities));
  }

  private long visit(Worker target) throws Exception {
    JsonNode reply = client.request(target.identity().publicKey(), "visit", null).get(5, TimeUnit.SECONDS);
    return reply.asLong();
  }

  @Test
  void shouldKeepIdentityAndDataWhenWorkerRestartsOnSameStore() throws Exception {
    CounterWorker first = startOn(dir);
    String key = first.identity().publicKeyHex();
    assertEquals(1, visit(first));
    assertEquals(2, visit(first));
    workers.stop(first);

    CounterWorker second = startOn(dir);
    assertEquals(key, second.identity().publicKeyHex());
    assertEquals(3, visit(second));
  }

  @Test
  void shouldStartFreshWhenStoreDirectoryDiffers(@TempDir Path other) throws Exception {
    CounterWorker a = startOn(dir);
    CounterWorker b = startOn(other);
    assertNotEquals(a.identity().publicKeyHex(), b.identity().publicKeyHex());
    assertEquals(1, visit(a));
    assertEquals(1, visit(b));
  }

  @Test
  void shouldNotReachStoppedWorkerWhenItIsGone() throws Exception {
    CounterWorker a = startOn(dir);
    byte[] key = a.identity().publicKey();
    workers.stop(a);
    var failure = client.request(key, "visit", null);
    var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
        () -> failure.get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof NetException, String.valueOf(e.getCause()));
  }
}
