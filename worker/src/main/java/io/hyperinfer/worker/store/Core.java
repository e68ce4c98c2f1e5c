package io.hyperinfer.worker.store;

/** A named append-only log of blocks (Hypercore's model). Blocking calls; thread-safe. */
public interface Core {
  /** Appends blocks in order, atomically; returns the new length. */
  long append(byte[]... blocks);

  /** The block at {@code index}; {@link io.hyperinfer.worker.WorkerException} with STORE_FAILURE when out of range. */
  byte[] get(long index);

  long length();
}
