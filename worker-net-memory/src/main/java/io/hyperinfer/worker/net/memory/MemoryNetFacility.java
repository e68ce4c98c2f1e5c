package io.hyperinfer.worker.net.memory;

import io.hyperinfer.worker.net.spi.TransportNetFacility;

/**
 * A worker's net facility on a {@link MemoryNetwork}: the shared machinery over {@link MemoryTransport} and
 * {@link MemoryDiscovery}. For unit and integration tests only: nothing is proven about a peer's key. Settings are
 * those of every net facility ({@code facs.net}, see {@link io.hyperinfer.worker.net.spi.NetSettings}). Thread-safe.
 */
public final class MemoryNetFacility extends TransportNetFacility {
  public MemoryNetFacility(MemoryNetwork network) {
    super(new MemoryTransport(network), new MemoryDiscovery(network), network.scheduler());
  }
}
