package io.hyperinfer.worker.store;

import io.hyperinfer.worker.WorkerException;
import java.util.ArrayList;
import java.util.List;

/** Collects writes for {@link MemoryBee#apply}. Not thread-safe. */
final class MemoryBatch implements Batch {
  private final MemoryBee bee;
  private final List<byte[][]> ops = new ArrayList<>();
  private boolean flushed;

  MemoryBatch(MemoryBee bee) {
    this.bee = bee;
  }

  @Override
  public Batch put(byte[] key, byte[] value) {
    checkNotFlushed();
    ops.add(new byte[][] {key.clone(), value.clone()});
    return this;
  }

  @Override
  public Batch del(byte[] key) {
    checkNotFlushed();
    ops.add(new byte[][] {key.clone(), null});
    return this;
  }

  @Override
  public void flush() {
    checkNotFlushed();
    flushed = true;
    bee.apply(ops);
  }

  private void checkNotFlushed() {
    if (flushed) {
      throw WorkerException.illegalState("batch already flushed");
    }
  }
}
