package io.hyperinfer.worker.net.memory;

import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.RosterSource;
import io.hyperinfer.worker.net.spi.TransportNetFacility;
import java.util.Optional;

/**
 * A worker's net facility on a {@link MemoryNetwork}: the shared machinery over {@link MemoryTransport} and
 * {@link MemoryDiscovery}. For unit and integration tests only: nothing is proven about a peer's key. Settings are
 * those of every net facility ({@code facs.net}, see {@link io.hyperinfer.worker.net.spi.NetSettings}). Rosters come
 * from the net's {@link MemoryRosters}. Thread-safe.
 */
public final class MemoryNetFacility extends TransportNetFacility {
  private final MemoryRosters rosters;

  public MemoryNetFacility(MemoryNetwork network) {
    super(new MemoryTransport(network), new MemoryDiscovery(network), network.scheduler());
    this.rosters = network.rosters();
  }

  /** The roster of {@code network} on the net's {@link MemoryRosters} board. */
  @Override
  public Optional<RosterSource> rosters(NetworkKey network) {
    return Optional.of(rosters.source(network));
  }
}
