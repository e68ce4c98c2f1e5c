package io.hyperinfer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.store.StoreFacility;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskStoreFacilityTest extends StoreFacilityContract {
  @TempDir
  Path dir;

  @Override
  protected StoreFacility create() {
    return new DiskStoreFacility(dir);
  }

  @Test
  void shouldKeepDataWhenReopened() throws Exception {
    store.bee("users").putString("alice", "A");
    store.core("log").append(utf8("one"), utf8("two"));
    store.stop();
    store = new DiskStoreFacility(dir);
    store.start(context());
    assertEquals("A", store.bee("users").getString("alice").orElseThrow());
    assertEquals(2, store.core("log").length());
    assertArrayEquals(utf8("two"), store.core("log").get(1));
  }

  @Test
  void shouldWriteHypercoresWhenBeesAreUsed() throws Exception {
    store.bee("users").putString("alice", "A");
    assertTrue(Files.isDirectory(dir.resolve("cores")));
    assertEquals(32, Files.size(dir.resolve(DiskStoreFacility.PRIMARY_KEY_FILE)));
  }

  @Test
  void shouldReadDirectoryFromConfigWhenNoneGiven(@TempDir Path other) throws Exception {
    var tree = JsonNodeFactory.instance.objectNode();
    tree.putObject("store").put("dir", other.toString());
    DiskStoreFacility configured = new DiskStoreFacility(null);
    configured.start(new FacilityContext(new WorkerContext("t", "test", "2"), Config.of(tree), Clock.systemUTC(),
        registry, Ed25519::generate));
    try {
      configured.bee("b").putString("k", "v");
      assertTrue(Files.exists(other.resolve(DiskStoreFacility.PRIMARY_KEY_FILE)));
    } finally {
      configured.stop();
    }
  }

  @Test
  void shouldFailClearlyWhenPrimaryKeyFileIsDamaged(@TempDir Path other) throws Exception {
    Files.write(other.resolve(DiskStoreFacility.PRIMARY_KEY_FILE), new byte[7]);
    DiskStoreFacility damaged = new DiskStoreFacility(other);
    WorkerException e = assertThrows(WorkerException.class, () -> damaged.start(context()));
    assertTrue(e.getMessage().contains("expected a 32-byte primary key"), e.getMessage());
    damaged.stop();
  }
}
