package io.hyperinfer.worker.store;

import io.hyperinfer.worker.WorkerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An append-only list of blocks. Thread-safe (appends and reads synchronise on the core). */
final class MemoryCore implements Core {
  private final String name;
  private final MemoryStoreFacility owner;
  private final List<byte[]> blocks = new ArrayList<>();

  MemoryCore(String name, MemoryStoreFacility owner) {
    this.name = name;
    this.owner = owner;
  }

  @Override
  public synchronized long append(byte[]... toAppend) {
    long t0 = System.nanoTime();
    owner.checkOpen();
    for (byte[] b : toAppend) {
      blocks.add(b.clone());
    }
    owner.metrics().facility("store", "core.append", Duration.ofNanos(System.nanoTime() - t0));
    return blocks.size();
  }

  @Override
  public synchronized byte[] get(long index) {
    owner.checkOpen();
    if (index < 0 || index >= blocks.size()) {
      throw WorkerException.storeFailure("core " + name + " has no block " + index + " (length " + blocks.size()
          + ")", null);
    }
    return blocks.get((int) index).clone();
  }

  @Override
  public synchronized long length() {
    owner.checkOpen();
    return blocks.size();
  }
}
