package io.hyperinfer.store;

import io.hyperinfer.hypercore.Hypercore;
import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.store.Core;
import java.time.Duration;
import java.util.function.Supplier;

/** A worker {@link Core} backed by a Hypercore: appends are signed and durable on return. Thread-safe. */
final class HypercoreLog implements Core {
  private final String name;
  private final Hypercore core;
  private final DiskStoreFacility owner;

  HypercoreLog(String name, Hypercore core, DiskStoreFacility owner) {
    this.name = name;
    this.core = core;
    this.owner = owner;
  }

  @Override
  public long append(byte[]... blocks) {
    return timed("append", () -> core.append(blocks));
  }

  @Override
  public byte[] get(long index) {
    return timed("get", () -> core.get(index));
  }

  @Override
  public long length() {
    owner.checkOpen();
    return core.length();
  }

  void close() {
    core.close();
  }

  private <T> T timed(String op, Supplier<T> body) {
    owner.checkOpen();
    long t0 = System.nanoTime();
    try {
      return body.get();
    } catch (RuntimeException e) {
      throw WorkerException.storeFailure("core '" + name + "' " + op + " failed: " + e.getMessage(), e);
    } finally {
      owner.metrics().facility("store", "core." + op, Duration.ofNanos(System.nanoTime() - t0));
    }
  }
}
