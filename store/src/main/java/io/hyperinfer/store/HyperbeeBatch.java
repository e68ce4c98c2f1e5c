package io.hyperinfer.store;

import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.store.Batch;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects writes and hands them to Hyperbee in one atomic batch at flush, so the bee's write lock is held only for
 * the flush, not while the caller assembles the batch. Not thread-safe; used once.
 */
final class HyperbeeBatch implements Batch {
  private final HyperbeeBee bee;
  private final List<byte[][]> ops = new ArrayList<>();
  private boolean flushed;

  HyperbeeBatch(HyperbeeBee bee) {
    this.bee = bee;
  }

  @Override
  public Batch put(byte[] key, byte[] value) {
    checkOpen();
    ops.add(new byte[][] {key.clone(), value.clone()});
    return this;
  }

  @Override
  public Batch del(byte[] key) {
    checkOpen();
    ops.add(new byte[][] {key.clone(), null});
    return this;
  }

  @Override
  public void flush() {
    checkOpen();
    flushed = true;
    if (!ops.isEmpty()) {
      bee.apply(ops);
    }
  }

  private void checkOpen() {
    if (flushed) {
      throw WorkerException.illegalState("batch already flushed");
    }
  }
}
