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
import java.nio.file.attribute.PosixFilePermissions;
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

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void shouldKeepStoreAndPrimaryKeyOwnerOnlyWhenCreated(@TempDir Path other) throws Exception {
    DiskStoreFacility fresh = new DiskStoreFacility(other.resolve("a/store"));
    fresh.start(context());
    try {
      assertEquals("rwx------", mode(other.resolve("a/store")));
      assertEquals("rwx------", mode(other.resolve("a")));
      assertEquals("rw-------", mode(other.resolve("a/store").resolve(DiskStoreFacility.PRIMARY_KEY_FILE)));
    } finally {
      fresh.stop();
    }
  }

  @Test
  void shouldTightenStoreAndKeyWhenFoundOpenToOthers() throws Exception {
    byte[] key = Files.readAllBytes(dir.resolve(DiskStoreFacility.PRIMARY_KEY_FILE));
    store.stop();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir.resolve(DiskStoreFacility.PRIMARY_KEY_FILE),
        PosixFilePermissions.fromString("rw-r--r--"));
    store = new DiskStoreFacility(dir);
    store.start(context());
    assertEquals("rwx------", mode(dir));
    assertEquals("rw-------", mode(dir.resolve(DiskStoreFacility.PRIMARY_KEY_FILE)));
    assertArrayEquals(key, Files.readAllBytes(dir.resolve(DiskStoreFacility.PRIMARY_KEY_FILE)));
  }

  @Test
  void shouldSayAnotherWorkerUsesTheDirectoryWhenItIsOpenInThisProcess() {
    DiskStoreFacility second = new DiskStoreFacility(dir);
    WorkerException e = assertThrows(WorkerException.class, () -> second.start(context()));
    assertEquals(WorkerException.Code.STORE_LOCKED, e.code());
    assertEquals("another worker in this process is using " + dir.toAbsolutePath() + ": give each worker its own"
        + " store directory (config key store.dir)", e.getMessage());
    second.stop();
    store.bee("still").putString("open", "yes");
  }

  @Test
  void shouldNameDirectoryAndFixWhenStoreCannotBeCreated(@TempDir Path other) throws Exception {
    Path blocker = Files.writeString(other.resolve("not-a-dir"), "x");
    Path wanted = blocker.resolve("store");
    DiskStoreFacility blocked = new DiskStoreFacility(wanted);
    WorkerException e = assertThrows(WorkerException.class, () -> blocked.start(context()));
    assertEquals(WorkerException.Code.STORE_UNWRITABLE, e.code());
    assertTrue(e.getMessage().startsWith("cannot write to the store directory " + wanted + " ("), e.getMessage());
    assertTrue(e.getMessage().endsWith("): make it writable by this user or choose another one (config key"
        + " store.dir)"), e.getMessage());
    assertTrue(WorkerException.expected(e).isPresent());
    blocked.stop();
  }

  @Test
  void shouldKeepRocksDbInfoLogsBoundedWhenReopenedManyTimes() throws Exception {
    for (int i = 0; i < 8; i++) {
      store.bee("b").putString("k" + i, "v");
      store.stop();
      store = new DiskStoreFacility(dir);
      store.start(context());
    }
    try (var files = Files.list(dir.resolve("cores"))) {
      long infoLogs = files.filter(f -> f.getFileName().toString().startsWith("LOG")).count();
      assertTrue(infoLogs <= io.hyperinfer.hypercore.HypercoreStore.INFO_LOG_FILES + 1,
          "LOG and at most " + io.hyperinfer.hypercore.HypercoreStore.INFO_LOG_FILES + " old ones: "
              + infoLogs);
    }
    assertEquals("v", store.bee("b").getString("k7").orElseThrow());
  }
}
