package io.hyperinfer.hypercore;

import io.hyperinfer.crypto.KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteOptions;

/**
 * All of one worker's cores in one RocksDB database, each change one atomic write batch. Opening a core checks its
 * stored blocks, tree and signature; a damaged core fails with CORRUPT_STORAGE unless opened with
 * {@link OnCorruption#TRUNCATE}, which cuts it back to its last valid length. RocksDB's info log is bounded
 * ({@value #INFO_LOG_FILES} files of at most 1 MiB), so reopening a store never piles up {@code LOG.old.*} files.
 *
 * <p>Damage to RocksDB's own files is refused at open with CORRUPT_STORAGE, never replayed as far as it goes: RocksDB's
 * default recovery stops at the first bad record of the write-ahead log and opens what came before, so a flipped byte
 * in the log would silently drop every write acknowledged after it (the core then verifies, shorter). A store written
 * with {@link Durability#PROCESS_CRASH} never has a torn record (a killed process does not tear a write the kernel
 * took), so any bad record fails the open; with {@link Durability#POWER_LOSS} only a torn last record, a write that
 * was never acknowledged, is dropped. Damage in RocksDB's table files surfaces when the core is read at open.
 * Thread-safe.
 */
public final class HypercoreStore implements AutoCloseable {
  /** How a write is made durable. */
  public enum Durability {
    /** Write-ahead log in the OS page cache: survives a killed process (kill -9), like hypercore 11's RocksDB. */
    PROCESS_CRASH,
    /** fsync each write: also survives power loss, much slower. */
    POWER_LOSS
  }

  /** What opening a core does when the stored core does not verify. */
  public enum OnCorruption {
    /** Throw CORRUPT_STORAGE with the last valid length. */
    FAIL,
    /** Truncate to the last valid length (re-signed when the store holds the secret key) and open. */
    TRUNCATE
  }

  /** Bounds of RocksDB's own info log ({@code LOG}, {@code LOG.old.*}): at most this many files of this size. */
  public static final int INFO_LOG_FILES = 3;
  public static final long INFO_LOG_BYTES = 1L << 20;

  static {
    RocksLibrary.load();
  }

  private final StoreGate db;
  private final Options options;
  private final WriteOptions writeOptions;
  private final Map<String, Core> open = new HashMap<>();
  private boolean closed;

  private HypercoreStore(RocksDB db, Options options, WriteOptions writeOptions) {
    this.db = new StoreGate(db);
    this.options = options;
    this.writeOptions = writeOptions;
  }

  /** Opens (creating if needed) the store in {@code dir} with {@link Durability#PROCESS_CRASH}. */
  public static HypercoreStore open(Path dir) {
    return open(dir, Durability.PROCESS_CRASH);
  }

  public static HypercoreStore open(Path dir, Durability durability) {
    Options options = new Options().setCreateIfMissing(true).setMaxLogFileSize(INFO_LOG_BYTES)
        .setKeepLogFileNum(INFO_LOG_FILES).setParanoidChecks(true)
        .setWalRecoveryMode(durability == Durability.POWER_LOSS ? WALRecoveryMode.TolerateCorruptedTailRecords
            : WALRecoveryMode.AbsoluteConsistency);
    WriteOptions writeOptions = new WriteOptions().setSync(durability == Durability.POWER_LOSS);
    try {
      Files.createDirectories(dir);
      return new HypercoreStore(RocksDB.open(options, dir.toString()), options, writeOptions);
    } catch (RocksDBException e) {
      options.close();
      writeOptions.close();
      if (e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption) {
        throw HypercoreException.damaged("the store at " + dir + " is damaged and was not opened (" + e.getMessage()
            + "): writes after the damage cannot be recovered from it", e);
      }
      throw HypercoreException.storage("cannot open store at " + dir + ": " + e.getMessage(), e);
    } catch (IOException e) {
      options.close();
      writeOptions.close();
      throw HypercoreException.storage("cannot open store at " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The writable v11 core signed by {@code keyPair}, created empty if the store does not have it. */
  public Hypercore open(KeyPair keyPair) {
    return openCore(Manifest.of(keyPair.publicKey()), keyPair.secretKey(), OnCorruption.FAIL);
  }

  /** The writable core named {@code name} under {@code primaryKey}, keyed as JS corestore 7 would key it. */
  public Hypercore open(byte[] primaryKey, String name) {
    return open(CoreCrypto.namedKeyPair(primaryKey, name));
  }

  /** The writable core for {@code manifest} signed with {@code keyPair}. */
  public Hypercore open(Manifest manifest, KeyPair keyPair, OnCorruption onCorruption) {
    return openCore(manifest, keyPair.secretKey(), onCorruption);
  }

  /** A core known by its manifest: writable if the store kept its secret key, otherwise a read-only replica. */
  public Hypercore open(Manifest manifest, OnCorruption onCorruption) {
    return openCore(manifest, null, onCorruption);
  }

  private synchronized Hypercore openCore(Manifest manifest, byte[] secretKey, OnCorruption onCorruption) {
    if (closed) {
      throw HypercoreException.of(HypercoreException.Code.SESSION_CLOSED, "store is closed");
    }
    String id = HexFormat.of().formatHex(manifest.key());
    Core core = open.get(id);
    if (core == null) {
      core = load(manifest, secretKey, onCorruption);
      open.put(id, core);
    }
    return new Hypercore(this, core, false);
  }

  private Core load(Manifest manifest, byte[] secretKey, OnCorruption onCorruption) {
    CoreStorage storage = CoreStorage.find(db, writeOptions, manifest.key());
    if (storage == null) {
      storage = CoreStorage.create(db, writeOptions, manifest.key(), new CoreHeader(0, 0, 0, null, manifest, secretKey));
      return new Core(storage, manifest, secretKey, TreeState.empty());
    }
    CoreHeader header = storage.header();
    if (header == null) {
      throw HypercoreException.corrupt("core head row is missing", 0);
    }
    if (!header.manifest().equals(manifest)) {
      throw HypercoreException.badArgument("stored core has a different manifest");
    }
    byte[] key = secretKey != null ? secretKey : header.secretKey();
    try {
      return new Core(storage, manifest, key, CoreVerifier.verify(storage, header));
    } catch (HypercoreException e) {
      if (e.code() != HypercoreException.Code.CORRUPT_STORAGE || onCorruption != OnCorruption.TRUNCATE) {
        throw e;
      }
      return repaired(storage, header, key, e.lastValidLength());
    }
  }

  private static Core repaired(CoreStorage storage, CoreHeader header, byte[] secretKey, long validLength) {
    TreeState stale = new TreeState(header.fork(), header.length(), header.byteLength(), List.of(), null);
    Core core = new Core(storage, header.manifest(), secretKey, stale);
    long target = secretKey == null ? 0 : validLength;
    core.truncate(target, secretKey != null);
    return new Core(storage, header.manifest(), secretKey, CoreVerifier.verify(storage, storage.header()));
  }

  synchronized void forget(Core core) {
    open.remove(HexFormat.of().formatHex(core.key));
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    open.clear();
    db.close();
    writeOptions.close();
    options.close();
  }
}
