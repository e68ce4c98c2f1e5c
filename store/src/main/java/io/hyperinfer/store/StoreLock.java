package io.hyperinfer.store;

import io.hyperinfer.worker.WorkerException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Holds a store directory for one worker: an OS lock on {@value #FILE} in it, taken before RocksDB opens and released
 * at stop or when the process dies (even by SIGKILL), so a second process on the same directory gets one plain
 * sentence instead of RocksDB's LOCK error and its stack trace. Thread-safe.
 */
final class StoreLock implements AutoCloseable {
  static final String FILE = "hyperinfer.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private StoreLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks {@code dir}; {@code STORE_LOCKED} when someone holds it, {@code STORE_UNWRITABLE} when it cannot be written. */
  static StoreLock acquire(Path dir) {
    FileChannel ch;
    try {
      ch = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw unwritable(dir, e);
    }
    try {
      FileLock l = ch.tryLock();
      if (l == null) {
        closeQuietly(ch);
        throw lockedByProcess(dir, null);
      }
      return new StoreLock(ch, l);
    } catch (OverlappingFileLockException e) {
      closeQuietly(ch);
      throw new WorkerException(WorkerException.Code.STORE_LOCKED, "another worker in this process is using " + dir
          + ": give each worker its own store directory (config key store.dir)", e);
    } catch (IOException e) {
      closeQuietly(ch);
      throw unwritable(dir, e);
    }
  }

  /** Runs {@code open} (RocksDB's), turning its LOCK failure into {@code STORE_LOCKED}. */
  static <T> T open(Path dir, Supplier<T> open) {
    try {
      return open.get();
    } catch (RuntimeException e) {
      if (isRocksLockError(e)) {
        throw lockedByProcess(dir, e);
      }
      throw e;
    }
  }

  static WorkerException unwritable(Path dir, IOException cause) {
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new WorkerException(WorkerException.Code.STORE_UNWRITABLE, "cannot write to the store directory " + dir
        + " (" + why + "): make it writable by this user or choose another one (config key store.dir)", cause);
  }

  private static WorkerException lockedByProcess(Path dir, Throwable cause) {
    return new WorkerException(WorkerException.Code.STORE_LOCKED, "another hyperinfer process is using " + dir
        + ": stop it first, or give this worker another store directory (config key store.dir)", cause);
  }

  private static boolean isRocksLockError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (m.contains("/lock") && (m.contains("lock hold") || m.contains("temporarily unavailable")
          || m.contains("no locks available"))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel below releases it too
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing held any more
    }
  }
}
