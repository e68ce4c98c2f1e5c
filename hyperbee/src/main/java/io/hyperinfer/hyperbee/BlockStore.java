package io.hyperinfer.hyperbee;

import io.hyperinfer.hypercore.Hypercore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hypercore under a bee, its decoded-block cache and the lock that makes the bee single-writer. Thread-safe.
 */
final class BlockStore implements AutoCloseable {
  private static final int CACHE_BLOCKS = 16_384;

  final Hypercore core;
  final ReentrantLock writeLock = new ReentrantLock();
  private final boolean owned;
  private final Map<Long, BeeBlock> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, BeeBlock> eldest) {
      return size() > CACHE_BLOCKS;
    }
  };
  private long cacheFork;

  BlockStore(Hypercore core, boolean owned) {
    this.core = core;
    this.owned = owned;
    this.cacheFork = core.fork();
  }

  BeeBlock block(long seq) {
    synchronized (cache) {
      if (cacheFork != core.fork()) {
        cache.clear();
        cacheFork = core.fork();
      }
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
    }
    return block;
  }

  @Override
  public void close() {
    if (owned) {
      core.close();
    }
  }
}
