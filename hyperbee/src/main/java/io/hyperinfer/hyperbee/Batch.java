package io.hyperinfer.hyperbee;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes that land together: each put/del is applied on top of the previous ones (and reads here see them), and
 * {@link #flush()} appends all their blocks to the core in one atomic append. Holds the bee's write lock from the
 * first call until flush or close, so use it from one thread and close it.
 */
public final class Batch<K, V> implements AutoCloseable {
  private final Hyperbee<K, V> bee;
  private final BlockStore store;
  private final List<BTreeWriter.Op> ops = new ArrayList<>();
  private final Map<Long, BeeBlock> pending = new HashMap<>();
  private BTreeWriter writer;
  private long base = -1;
  private boolean header;
  private boolean closed;
  private final BTree.Source source = new BTree.Source() {
    @Override
    public BeeBlock block(long seq) {
      if (seq < base) {
        return store.block(seq);
      }
      BeeBlock block = pending.get(seq);
      if (block == null) {
        throw BeeException.decoding("no block " + seq + " in this batch");
      }
      return block;
    }

    @Override
    public byte[] key(long seq) {
      return seq < base ? store.key(seq) : block(seq).key();
    }
  };

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
    BTreeWriter w = writer();
    long seq = next();
    Entry<K, V> proposed = new Entry<>(seq, key, value);
    return accept(w.put(k, v, seq, previous -> cas.swap(bee.entry(previous), proposed)), seq, k, v);
  }

  /** Deletes {@code key}; false when it was absent. */
  public boolean del(K key) {
    return del(key, Cas.always());
  }

  /** Deletes {@code key} if {@code cas} accepts the current entry; returns whether it wrote. */
  public boolean del(K key, Cas<K, V> cas) {
    byte[] k = bee.encodeKey(key);
    BTreeWriter w = writer();
    long seq = next();
    Entry<K, V> proposed = new Entry<>(seq, key, null);
    return accept(w.del(k, seq, previous -> cas.swap(bee.entry(previous), proposed)), seq, k, null);
  }

  /** The entry for {@code key} including this batch's unflushed writes. */
  public Optional<Entry<K, V>> get(K key) {
    BeeBlock block = writer().find(bee.encodeKey(key));
    return Optional.ofNullable(block).map(bee::entry);
  }

  /** Appends every write atomically and releases the lock; returns the bee's new version. */
  public long flush() {
    requireOpen();
    try {
      if (!ops.isEmpty()) {
        List<byte[]> blocks = new ArrayList<>(ops.size() + 1);
        if (header) {
          blocks.add(BeeBlock.HEADER);
        }
        blocks.addAll(writer.encode(ops));
        store.core.append(blocks);
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
    if (writer == null) {
      if (!store.core.writable()) {
        throw new BeeException(BeeException.Code.NOT_WRITABLE, "the bee's core is not writable");
      }
      store.writeLock.lock();
      base = store.core.length();
      header = base == 0;
      writer = new BTreeWriter(source, base);
    }
    return writer;
  }

  private long next() {
    return base + (header ? 1 : 0) + ops.size();
  }

  private boolean accept(boolean wrote, long seq, byte[] key, byte[] value) {
    if (wrote) {
      ops.add(new BTreeWriter.Op(seq, key, value));
      pending.put(seq, new BeeBlock(seq, key, value, List.of()));
    }
    return wrote;
  }

  private void requireOpen() {
    if (closed) {
      throw new BeeException(BeeException.Code.BATCH_CLOSED, "batch was flushed or closed");
    }
  }
}
