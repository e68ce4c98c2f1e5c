package io.hyperinfer.worker.store;

import io.hyperinfer.worker.Facility;

/**
 * A worker's storage: named bees and cores, opened on first use and kept for the facility's lifetime. Implementations:
 * the in-memory {@link MemoryStoreFacility} and, later, the on-disk Hypercore/Hyperbee one. Thread-safe.
 */
public interface StoreFacility extends Facility {
  Bee bee(String name);

  Core core(String name);
}
