package io.hyperinfer.hyperbee;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes that land together: each put/del is applied on top of the previous ones (and reads here see them), and
 * {@link #flush()} appends all their blocks to the core in one atomic append. Holds the bee's write lock from the
 * first write until flush or close, so use it from one thread and close it.
 */
public final class Batch<K, V> implements AutoCloseable {
  private final Hyperbee<K, V> bee;
  private final BlockStore store;
  private final List<byte[]> pending = new ArrayList<>();
  private final List<BeeBlock> decoded = new ArrayList<>();
  private long base = -1;
  private final BTree.Source source = new BTree.Source() {
    @Override
    public BeeBlock block(long seq) {
      return Batch.this.block(seq);
    }

    @Override
    public byte[] key(long seq) {
      return seq < base ? store.key(seq) : Batch.this.block(seq).key();
    }
  };
  private boolean closed;

  Batch(Hyperbee<K, V> bee, BlockStore store) {
    this.bee = bee;
    this.store = store;
  }

  /** Puts {@code key}; false when the value was already the same. */
  public boolean put(K key, V value) {
    return put(key, value, Cas.always());
  }

  /** Puts {@code key} if {@code cas} accepts the current entry (or there is none); returns whether it wrote. */
  public boolean put(K key, V value, Cas<K, V> cas) {
    byte[] k = bee.encodeKey(key);
    byte[] v = bee.encodeValue(value);
    BTreeWriter writer = writer();
    long seq = next();
    Entry<K, V> proposed = new Entry<>(seq, key, value);
    return add(writer.put(k, v, seq, previous -> cas.swap(bee.entry(previous), proposed)));
  }

  /** Deletes {@code key}; false when it was absent. */
  public boolean del(K key) {
    return del(key, Cas.always());
  }

  /** Deletes {@code key} if {@code cas} accepts the current entry; returns whether it wrote. */
  public boolean del(K key, Cas<K, V> cas) {
    byte[] k = bee.encodeKey(key);
    BTreeWriter writer = writer();
    long seq = next();
    Entry<K, V> proposed = new Entry<>(seq, key, null);
    return add(writer.del(k, seq, previous -> cas.swap(bee.entry(previous), proposed)));
  }

  /** The entry for {@code key} including this batch's unflushed writes. */
  public Optional<Entry<K, V>> get(K key) {
    BeeBlock block = writer().get(bee.encodeKey(key));
    return Optional.ofNullable(block).map(bee::entry);
  }

  /** Appends every write atomically and releases the lock; returns the bee's new version. */
  public long flush() {
    requireOpen();
    try {
      if (!pending.isEmpty()) {
        store.core.append(pending);
      }
      return store.core.length();
    } finally {
      close();
    }
  }

  /** Drops unflushed writes and releases the lock. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (base >= 0) {
      store.writeLock.unlock();
    }
  }

  private BTreeWriter writer() {
    requireOpen();
    if (base < 0) {
      if (!store.core.writable()) {
        throw new BeeException(BeeException.Code.NOT_WRITABLE, "the bee's core is not writable");
      }
      store.writeLock.lock();
      base = store.core.length();
      if (base == 0) {
        pending.add(BeeBlock.HEADER);
        decoded.add(null);
      }
    }
    return new BTreeWriter(source, next());
  }

  private long next() {
    return base + pending.size();
  }

  private boolean add(BTreeWriter.Write write) {
    if (write == null) {
      return false;
    }
    pending.add(write.raw());
    decoded.add(write.block());
    return true;
  }

  private BeeBlock block(long seq) {
    if (seq < base) {
      return store.block(seq);
    }
    BeeBlock block = decoded.get((int) (seq - base));
    if (block == null) {
      throw BeeException.decoding("block 0 is the header, not a tree block");
    }
    return block;
  }

  private void requireOpen() {
    if (closed) {
      throw new BeeException(BeeException.Code.BATCH_CLOSED, "batch was flushed or closed");
    }
  }
}
