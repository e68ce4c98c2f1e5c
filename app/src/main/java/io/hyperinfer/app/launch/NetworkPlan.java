package io.hyperinfer.app.launch;

import io.hyperinfer.worker.fs.DataDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link ProcessNetwork} starts. Immutable.
 *
 * @param dataDir the data directory the workers get ({@code --data-dir}), or empty for the user's default folders
 * @param dhtNodes how many DHT nodes beside the bootstrap node
 * @param gateways how many gateways (at least one); Auth and the processors allow every one of them
 * @param processors how many processors
 * @param opsEndpoints whether every worker serves /metrics and /healthz on a free port
 * @param authArgs extra arguments of Auth (e.g. {@code --allow-gateway KEY}, {@code --set ...})
 * @param gatewayArgs extra arguments of the gateway
 * @param processorArgs extra arguments of every processor (engine settings)
 * @param readyTimeout how long each child may take to be ready
 */
public record NetworkPlan(Optional<Path> dataDir, int dhtNodes, int gateways, int processors, boolean opsEndpoints,
    List<String> authArgs, List<String> gatewayArgs, List<String> processorArgs, Duration readyTimeout) {
  public NetworkPlan {
    authArgs = List.copyOf(authArgs);
    gatewayArgs = List.copyOf(gatewayArgs);
    processorArgs = List.copyOf(processorArgs);
    if (dhtNodes < 0 || processors < 0 || gateways < 1) {
      throw new IllegalArgumentException("counts must not be negative, and there must be a gateway");
    }
  }

  /** One gateway. */
  public NetworkPlan(Optional<Path> dataDir, int dhtNodes, int processors, boolean opsEndpoints, List<String> authArgs,
      List<String> gatewayArgs, List<String> processorArgs, Duration readyTimeout) {
    this(dataDir, dhtNodes, 1, processors, opsEndpoints, authArgs, gatewayArgs, processorArgs, readyTimeout);
  }

  /** The data directories the workers of this plan use. */
  public DataDirs dirs() {
    return dataDir.map(DataDirs::under).orElseGet(DataDirs::forUser);
  }
}
