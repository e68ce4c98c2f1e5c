package io.hyperinfer.hyperbee;

import io.hyperinfer.hypercore.Hypercore;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hypercore under a bee, its caches of decoded blocks and of keys, and the lock that makes the bee single-writer.
 * The caches are direct-mapped by seq (no boxing, no hashing; a colliding seq just replaces the slot). Thread-safe:
 * slots hold immutable entries, so a racing reader sees either the old or the new one.
 */
final class BlockStore implements AutoCloseable, BTree.Source {
  private static final int BLOCK_SLOTS = 1 << 16;
  /** Keys are what lookups compare most; they are small, so many more of them stay cached than whole blocks. */
  private static final int KEY_SLOTS = 1 << 18;

  private record CachedKey(long seq, byte[] key) {}

  final Hypercore core;
  final ReentrantLock writeLock = new ReentrantLock();
  private final boolean owned;
  private final BeeBlock[] blocks = new BeeBlock[BLOCK_SLOTS];
  private final CachedKey[] keys = new CachedKey[KEY_SLOTS];
  private volatile long cacheFork;

  BlockStore(Hypercore core, boolean owned) {
    this.core = core;
    this.owned = owned;
    this.cacheFork = core.fork();
  }

  @Override
  public byte[] key(long seq) {
    checkFork();
    CachedKey hit = keys[(int) (seq & (KEY_SLOTS - 1))];
    return hit != null && hit.seq == seq ? hit.key : block(seq).key();
  }

  @Override
  public BeeBlock block(long seq) {
    checkFork();
    int slot = (int) (seq & (BLOCK_SLOTS - 1));
    BeeBlock hit = blocks[slot];
    if (hit != null && hit.seq() == seq) {
      return hit;
    }
    if (seq == 0) {
      throw BeeException.decoding("block 0 is the header, not a tree block");
    }
    BeeBlock block = BeeBlock.decode(seq, core.get(seq));
    blocks[slot] = block;
    keys[(int) (seq & (KEY_SLOTS - 1))] = new CachedKey(seq, block.key());
    return block;
  }

  /** A truncation may have replaced blocks: drop everything cached from the old fork. */
  private void checkFork() {
    long fork = core.fork();
    if (cacheFork != fork) {
      synchronized (this) {
        if (cacheFork != fork) {
          Arrays.fill(blocks, null);
          Arrays.fill(keys, null);
          cacheFork = fork;
        }
      }
    }
  }

  @Override
  public void close() {
    if (owned) {
      core.close();
    }
  }
}
