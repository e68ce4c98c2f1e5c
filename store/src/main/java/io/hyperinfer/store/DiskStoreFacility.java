package io.hyperinfer.store;

import io.hyperinfer.crypto.Random;
import io.hyperinfer.hyperbee.Hyperbee;
import io.hyperinfer.hypercore.Hypercore;
import io.hyperinfer.hypercore.HypercoreException;
import io.hyperinfer.hypercore.HypercoreStore;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.fs.PrivateFiles;
import io.hyperinfer.worker.metrics.RpcMetrics;
import io.hyperinfer.worker.store.Bee;
import io.hyperinfer.worker.store.Core;
import io.hyperinfer.worker.store.StoreFacility;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A worker's storage on disk: each named bee is a Hyperbee and each named core a Hypercore, all in one RocksDB
 * database under the store directory, their key pairs derived from the worker's primary key as corestore derives
 * them. The primary key is created once and kept in {@code <dir>/primary-key}, so names map to the same cores across
 * restarts. The directory is private (0700, the key 0600) and held by one process at a time ({@link StoreLock}). A
 * damaged core fails the worker's start with the core's last valid length (see the hypercore README for recovery)
 * instead of serving bad data. Thread-safe.
 */
public final class DiskStoreFacility implements StoreFacility {
  /** Config key naming the store directory when none is given to the constructor. */
  public static final String DIR_KEY = "store.dir";
  static final String PRIMARY_KEY_FILE = "primary-key";

  private final Path configuredDir;
  private final Map<String, HyperbeeBee> bees = new ConcurrentHashMap<>();
  private final Map<String, HypercoreLog> cores = new ConcurrentHashMap<>();
  private volatile HypercoreStore store;
  private volatile StoreLock lock;
  private volatile byte[] primaryKey;
  private volatile RpcMetrics metrics = new RpcMetrics(new SimpleMeterRegistry());

  /** A store in {@code dir}; {@code null} reads the directory from config key {@value #DIR_KEY} at start. */
  public DiskStoreFacility(Path dir) {
    this.configuredDir = dir;
  }

  @Override
  public String name() {
    return "store";
  }

  @Override
  public int priority() {
    return PRIORITY_STORE;
  }

  /**
   * Opens the store: the directory is created 0700 (or made so), locked against other processes, the primary key read
   * or created 0600. An unwritable directory fails with {@code STORE_UNWRITABLE}, one another process (or worker) has
   * open with {@code STORE_LOCKED}, each with a sentence naming the directory and the fix.
   */
  @Override
  public void start(FacilityContext context) throws IOException {
    Path dir = (configuredDir != null ? configuredDir : Path.of(context.config().string(DIR_KEY))).toAbsolutePath();
    try {
      PrivateFiles.createDirectories(dir);
    } catch (IOException e) {
      throw StoreLock.unwritable(dir, e);
    }
    StoreLock held = StoreLock.acquire(dir);
    try {
      metrics = new RpcMetrics(context.metrics());
      primaryKey = loadOrCreatePrimaryKey(dir.resolve(PRIMARY_KEY_FILE));
      store = StoreLock.open(dir, () -> openStore(dir.resolve("cores")));
    } catch (IOException | RuntimeException e) {
      held.close();
      throw e;
    }
    lock = held;
  }

  @Override
  public void stop() {
    HypercoreStore s = store;
    store = null;
    bees.values().forEach(HyperbeeBee::close);
    cores.values().forEach(HypercoreLog::close);
    bees.clear();
    cores.clear();
    if (s != null) {
      s.close();
    }
    StoreLock l = lock;
    lock = null;
    if (l != null) {
      l.close();
    }
  }

  @Override
  public Bee bee(String name) {
    return bees.computeIfAbsent(name, n -> {
      Hypercore core = openCore("bee/" + n);
      return new HyperbeeBee(n, Hyperbee.open(core), core, this);
    });
  }

  @Override
  public Core core(String name) {
    return cores.computeIfAbsent(name, n -> new HypercoreLog(n, openCore("core/" + n), this));
  }

  /** The store in {@code cores}; a damaged one fails with STORE_FAILURE saying so (HypercoreException's sentence). */
  private static HypercoreStore openStore(Path cores) {
    try {
      return HypercoreStore.open(cores);
    } catch (HypercoreException e) {
      throw WorkerException.storeFailure(e.getMessage(), e);
    }
  }

  private Hypercore openCore(String name) {
    HypercoreStore s = checkOpen();
    try {
      return s.open(primaryKey, name);
    } catch (HypercoreException e) {
      throw WorkerException.storeFailure("cannot open core '" + name + "': " + e.getMessage(), e);
    }
  }

  HypercoreStore checkOpen() {
    HypercoreStore s = store;
    if (s == null) {
      throw WorkerException.storeFailure("store is not open", null);
    }
    return s;
  }

  RpcMetrics metrics() {
    return metrics;
  }

  private static byte[] loadOrCreatePrimaryKey(Path file) throws IOException {
    if (Files.exists(file)) {
      byte[] key = PrivateFiles.read(file);
      if (key.length != 32) {
        throw WorkerException.storeFailure(file + " holds " + key.length + " bytes, expected a 32-byte primary key",
            null);
      }
      return key;
    }
    byte[] key = Random.bytes(32);
    // Written 0600 and renamed into place: a crash leaves either no key (a fresh store) or the whole key.
    PrivateFiles.write(file, key);
    return key;
  }
}
