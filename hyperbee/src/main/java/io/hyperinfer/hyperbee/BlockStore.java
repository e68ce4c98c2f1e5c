package io.hyperinfer.hyperbee;

import io.hyperinfer.hypercore.Hypercore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hypercore under a bee, its decoded-block cache and the lock that makes the bee single-writer. Thread-safe.
 */
final class BlockStore implements AutoCloseable, BTree.Source {
  private static final int CACHE_BLOCKS = 16_384;
  /** Keys are what lookups compare most; they are small, so many more of them stay cached than whole blocks. */
  private static final int CACHE_KEYS = 262_144;

  final Hypercore core;
  final ReentrantLock writeLock = new ReentrantLock();
  private final boolean owned;
  private final Map<Long, BeeBlock> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, BeeBlock> eldest) {
      return size() > CACHE_BLOCKS;
    }
  };
  private final Map<Long, byte[]> keys = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
      return size() > CACHE_KEYS;
    }
  };
  private long cacheFork;

  BlockStore(Hypercore core, boolean owned) {
    this.core = core;
    this.owned = owned;
    this.cacheFork = core.fork();
  }

  @Override
  public byte[] key(long seq) {
    synchronized (cache) {
      checkFork();
      byte[] hit = keys.get(seq);
      if (hit != null) {
        return hit;
      }
    }
    return block(seq).key();
  }

  @Override
  public BeeBlock block(long seq) {
    synchronized (cache) {
      checkFork();
      BeeBlock hit = cache.get(seq);
      if (hit != null) {
        return hit;
      }
    }
    if (seq == 0) {
      throw BeeException.decoding("block 0 is the header, not a tree block");
    }
    BeeBlock block = BeeBlock.decode(seq, core.get(seq));
    synchronized (cache) {
      cache.put(seq, block);
      keys.put(seq, block.key());
    }
    return block;
  }

  /** A truncation may have replaced blocks: drop everything cached from the old fork. */
  private void checkFork() {
    long fork = core.fork();
    if (cacheFork != fork) {
      cache.clear();
      keys.clear();
      cacheFork = fork;
    }
  }

  @Override
  public void close() {
    if (owned) {
      core.close();
    }
  }
}
