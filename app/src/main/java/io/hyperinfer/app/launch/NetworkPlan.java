package io.hyperinfer.app.launch;

import io.hyperinfer.network.Role;
import io.hyperinfer.worker.fs.DataDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * @param trust whether the workers run inside a network with a signed roster ({@link Trust}), or on open topics
 */
public record NetworkPlan(Optional<Path> dataDir, int dhtNodes, int gateways, int processors, boolean opsEndpoints,
    List<String> authArgs, List<String> gatewayArgs, List<String> processorArgs, Duration readyTimeout,
    Optional<Trust> trust) {
  /**
   * A network key and roster for the workers: the operator folder {@code <config>/local-network} of the plan's data
   * directory (apart from {@code <config>/network}, the default of {@code hyperinfer network}, so that a local network
   * never admits its workers into a real network the user operates from there) (made on first use, as {@code hyperinfer network create} does), every worker admitted with its role
   * before it starts, each with its own roster cache, Auth signing sessions with the network's session key.
   *
   * @param guests more keys to admit (a test's or the demo's own peers), with their roles
   */
  public record Trust(Map<String, Role> guests) {
    public Trust {
      guests = Map.copyOf(guests);
    }
  }

  /** On open topics (no network key), as tests of the transport and of config allowlists want. */
  public NetworkPlan(Optional<Path> dataDir, int dhtNodes, int gateways, int processors, boolean opsEndpoints,
      List<String> authArgs, List<String> gatewayArgs, List<String> processorArgs, Duration readyTimeout) {
    this(dataDir, dhtNodes, gateways, processors, opsEndpoints, authArgs, gatewayArgs, processorArgs, readyTimeout,
        Optional.empty());
  }

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

  /** This plan inside a network of its own ({@link Trust}), admitting {@code guests} too. */
  public NetworkPlan withTrust(Map<String, Role> guests) {
    return new NetworkPlan(dataDir, dhtNodes, gateways, processors, opsEndpoints, authArgs, gatewayArgs, processorArgs,
        readyTimeout, Optional.of(new Trust(guests)));
  }

  /** The operator folder of a plan with {@link Trust}. */
  public Path operatorDir() {
    return dirs().config().resolve("local-network");
  }

  /** The data directories the workers of this plan use. */
  public DataDirs dirs() {
    return dataDir.map(DataDirs::under).orElseGet(DataDirs::forUser);
  }
}
