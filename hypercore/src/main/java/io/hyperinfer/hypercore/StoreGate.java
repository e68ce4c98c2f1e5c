package io.hyperinfer.hypercore;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The one way to reach the store's RocksDB handle: calls hold a read lock and fail with SESSION_CLOSED once the
 * store is closed, because RocksJava on a closed handle dereferences freed native memory. Thread-safe.
 */
final class StoreGate {
  /** A call against the open database. */
  interface Call<T> {
    T run(RocksDB db) throws RocksDBException;
  }

  private final RocksDB db;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  StoreGate(RocksDB db) {
    this.db = db;
  }

  <T> T call(Call<T> call) throws RocksDBException {
    lock.readLock().lock();
    try {
      if (closed) {
        throw HypercoreException.of(HypercoreException.Code.SESSION_CLOSED, "store is closed");
      }
      return call.run(db);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs {@code call} if the store is still open; a no-op afterwards (releasing what the close already freed). */
  void ifOpen(Call<?> call) {
    lock.readLock().lock();
    try {
      if (!closed) {
        call.run(db);
      }
    } catch (RocksDBException e) {
      throw HypercoreException.storage(e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        db.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
