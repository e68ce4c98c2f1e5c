package io.hyperinfer.worker.testkit;

import io.hyperinfer.worker.store.MemoryStoreFacility;
import io.hyperinfer.worker.store.StoreFacility;

/**
 * The seed's RAM storage: one worker's bees and cores in memory. Hand the same instance to a second worker to simulate
 * a restart that keeps its data (identity, users...).
 */
public final class RamStorage {
  private final MemoryStoreFacility store = new MemoryStoreFacility();

  public StoreFacility store() {
    return store;
  }

  /** Whether the store is open (between its worker's start and stop). */
  public boolean isOpen() {
    return store.isOpen();
  }
}
