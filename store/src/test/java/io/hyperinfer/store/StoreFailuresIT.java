package io.hyperinfer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.WorkerException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's expected failures as an operator meets them: a second process, an unwritable directory, damaged files.
 */
@Timeout(180)
class StoreFailuresIT {
  @TempDir
  Path dir;

  private Path mounted;

  @AfterEach
  void unmount() throws Exception {
    if (mounted != null) {
      run("umount", mounted.toString());
    }
  }

  private static FacilityContext context() {
    return new FacilityContext(new WorkerContext("t", "test", "1"), Config.empty(), Clock.systemUTC(),
        new SimpleMeterRegistry(), Ed25519::generate);
  }

  private static int run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return p.exitValue();
  }

  @Test
  void shouldSayAnotherProcessUsesTheStoreUntilThatProcessExitsOrIsKilled() throws Exception {
    Path store = dir.resolve("auth");
    try (StoreProbe other = new StoreProbe(store)) {
      DiskStoreFacility mine = new DiskStoreFacility(store);
      WorkerException e = assertThrows(WorkerException.class, () -> mine.start(context()));
      assertEquals(WorkerException.Code.STORE_LOCKED, e.code());
      assertEquals("another hyperinfer process is using " + store + ": stop it first, or give this worker another"
          + " store directory (config key store.dir)", e.getMessage());
      mine.stop();
      other.exit();
    }
    DiskStoreFacility afterExit = new DiskStoreFacility(store);
    afterExit.start(context());
    assertEquals("v", afterExit.bee("b").getString("k").orElseThrow());
    afterExit.stop();

    try (StoreProbe other = new StoreProbe(store)) {
      other.kill();
    }
    DiskStoreFacility afterKill = new DiskStoreFacility(store);
    afterKill.start(context());
    assertEquals("v", afterKill.bee("b").getString("k").orElseThrow());
    afterKill.stop();
  }

  @Test
  void shouldMapRocksDbsOwnLockErrorWhenSomethingElseHoldsTheDatabase() throws Exception {
    Path store = dir.resolve("held");
    Files.createDirectories(store);
    try (var raw = io.hyperinfer.hypercore.HypercoreStore.open(store.resolve("cores"))) {
      DiskStoreFacility mine = new DiskStoreFacility(store);
      WorkerException e = assertThrows(WorkerException.class, () -> mine.start(context()));
      assertEquals(WorkerException.Code.STORE_LOCKED, e.code());
      assertTrue(e.getMessage().startsWith("another hyperinfer process is using " + store), e.getMessage());
      mine.stop();
    }
    assertTrue(Files.exists(store.resolve(StoreLock.FILE)));
  }

  @Test
  void shouldNameDirectoryAndFixWhenStoreDirectoryIsReadOnly() throws Exception {
    Path store = readOnlyDir(dir.resolve("ro"));
    for (Path wanted : List.of(store, store.resolve("nested"))) {
      DiskStoreFacility facility = new DiskStoreFacility(wanted);
      WorkerException e = assertThrows(WorkerException.class, () -> facility.start(context()), wanted.toString());
      assertEquals(WorkerException.Code.STORE_UNWRITABLE, e.code());
      assertTrue(e.getMessage().startsWith("cannot write to the store directory " + wanted + " ("), e.getMessage());
      assertTrue(e.getMessage().endsWith("): make it writable by this user or choose another one (config key"
          + " store.dir)"), e.getMessage());
      facility.stop();
    }
  }

  @Test
  void shouldRefuseToStartNamingTheDamageWhenAByteOfTheStoresLogIsFlipped() throws Exception {
    Path store = dir.resolve("users");
    DiskStoreFacility before = new DiskStoreFacility(store);
    before.start(context());
    for (int i = 0; i < 20; i++) {
      before.bee("users").putString("user" + i, "acknowledged " + i);
    }
    before.stop();
    Path log;
    try (var files = Files.list(store.resolve("cores"))) {
      log = files.filter(f -> f.toString().endsWith(".log")).filter(f -> f.toFile().length() > 0).findFirst()
          .orElseThrow();
    }
    try (var f = new java.io.RandomAccessFile(log.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0x5a);
    }

    DiskStoreFacility after = new DiskStoreFacility(store);
    WorkerException e = assertThrows(WorkerException.class, () -> after.start(context()));
    assertEquals(WorkerException.Code.STORE_FAILURE, e.code());
    assertTrue(e.getMessage().startsWith("the store at " + store.resolve("cores") + " is damaged and was not opened ("),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("): writes after the damage cannot be recovered from it"), e.getMessage());
    after.stop();
    DiskStoreFacility again = new DiskStoreFacility(store);
    assertEquals(WorkerException.Code.STORE_FAILURE,
        assertThrows(WorkerException.class, () -> again.start(context())).code(), "the lock was released");
    again.stop();
  }

  /**
   * An existing directory this process cannot write: mode 0500 for an ordinary user; root writes through modes, so
   * for root a read-only tmpfs is mounted over it (removed after the test).
   */
  private Path readOnlyDir(Path path) throws Exception {
    Files.createDirectories(path);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    if (!"root".equals(System.getProperty("user.name"))) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("r-x------"));
      return path;
    }
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "ro,size=64k,mode=0700", "tmpfs", path.toString()) == 0,
        "root without mount privileges cannot make a directory it cannot write");
    mounted = path;
    return path;
  }
}
