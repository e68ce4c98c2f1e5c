package io.hyperinfer.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.net.spi.LoopbackNetwork;
import io.hyperinfer.worker.store.MemoryStoreFacility;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTest {
  @TempDir
  Path dir;

  private final LoopbackNetwork network = new LoopbackNetwork();

  private TestWorker worker(MemoryStoreFacility store, Config config) {
    return new TestWorker(config, Facilities.of(network.facility(), store), w -> {});
  }

  @Test
  void shouldKeepSameKeysWhenWorkerRestartsOnSameStore() throws Exception {
    MemoryStoreFacility store = new MemoryStoreFacility();
    TestWorker first = worker(store, Config.empty());
    first.start().get(5, TimeUnit.SECONDS);
    KeyPair keys = first.identity();
    assertArrayEquals(keys.publicKey(), first.netForTest().publicKey());
    first.stop().get(5, TimeUnit.SECONDS);

    TestWorker second = worker(store, Config.empty());
    second.start().get(5, TimeUnit.SECONDS);
    assertEquals(keys, second.identity());
    second.stop().get(5, TimeUnit.SECONDS);

    TestWorker other = worker(new MemoryStoreFacility(), Config.empty());
    other.start().get(5, TimeUnit.SECONDS);
    assertNotEquals(keys, other.identity());
    other.stop().get(5, TimeUnit.SECONDS);
  }

  @Test
  void shouldWriteStatusFileWithPublicKeysWhenWorkerIsReady() throws Exception {
    Path status = dir.resolve("run/status.json");
    TestWorker w = worker(new MemoryStoreFacility(),
        ConfigLoader.withOverrides(Config.empty(), List.of("worker.statusFile=" + status)));
    w.start().get(5, TimeUnit.SECONDS);
    ObjectNode json = StatusFile.read(status);
    assertEquals(w.identity().publicKeyHex(), json.get("publicKey").asText());
    assertEquals(w.identity().publicKeyHex(), json.get("rpcPublicKey").asText());
    assertEquals("test", json.get("type").asText());
    assertEquals("t1", json.get("instanceId").asText());
    w.stop().get(5, TimeUnit.SECONDS);
  }

  @Test
  void shouldPutStatusFileInStoreDirWhenOnlyStoreDirIsSet() throws Exception {
    TestWorker w = worker(new MemoryStoreFacility(),
        ConfigLoader.withOverrides(Config.empty(), List.of("store.dir=" + dir)));
    w.start().get(5, TimeUnit.SECONDS);
    assertTrue(Files.isRegularFile(dir.resolve("status.json")));
    w.stop().get(5, TimeUnit.SECONDS);
  }

  @Test
  void shouldFailWithIoErrorWhenStatusFileCannotBeWritten() throws Exception {
    Path blocker = dir.resolve("file");
    Files.writeString(blocker, "x");
    KeyPair keys = io.hyperinfer.crypto.Ed25519.generate();
    WorkerException e = assertThrows(WorkerException.class, () -> StatusFile.write(blocker.resolve("status.json"),
        new WorkerContext("a", "b", "c"), keys, keys.publicKey(), Instant.EPOCH, java.util.OptionalInt.empty()));
    assertEquals(WorkerException.Code.IO_FAILURE, e.code());
    assertEquals(WorkerException.Code.IO_FAILURE,
        assertThrows(WorkerException.class, () -> StatusFile.read(dir.resolve("absent"))).code());
  }

  @Test
  void shouldRefuseCorruptSeedWhenStoredSeedHasWrongLength() {
    MemoryStoreFacility store = new MemoryStoreFacility();
    store.start(new FacilityContext(new WorkerContext("a", "b", "c"), Config.empty(), java.time.Clock.systemUTC(),
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), io.hyperinfer.crypto.Ed25519::generate));
    store.bee(Identity.BEE).put(Identity.SEED_KEY, new byte[5]);
    assertEquals(WorkerException.Code.STORE_FAILURE,
        assertThrows(WorkerException.class, () -> Identity.loadOrCreate(store)).code());
  }
}
