package io.hyperinfer.swarm;

/**
 * How many connections the swarm keeps and dials (JS constructor options {@code maxPeers}, {@code maxParallel},
 * {@code maxClientConnections}), plus a bound JS does not have: {@code maxKnownPeers}, the most peers the swarm
 * remembers (peers found beyond it are ignored until entries are forgotten).
 */
public record SwarmLimits(int maxPeers, int maxParallel, int maxClientConnections, int maxKnownPeers) {
  /** JS's defaults (64 peers, 3 dials at once, no client cap) and 4,096 known peers. */
  public static final SwarmLimits DEFAULT = new SwarmLimits(64, 3, Integer.MAX_VALUE, 4096);

  public SwarmLimits {
    if (maxPeers < 1 || maxParallel < 1 || maxClientConnections < 0 || maxKnownPeers < 1) {
      throw new SwarmException(SwarmException.Code.BAD_ARGUMENT, "swarm limits must be positive");
    }
  }

  public SwarmLimits withMaxPeers(int n) {
    return new SwarmLimits(n, maxParallel, maxClientConnections, maxKnownPeers);
  }

  public SwarmLimits withMaxParallel(int n) {
    return new SwarmLimits(maxPeers, n, maxClientConnections, maxKnownPeers);
  }

  public SwarmLimits withMaxClientConnections(int n) {
    return new SwarmLimits(maxPeers, maxParallel, n, maxKnownPeers);
  }

  public SwarmLimits withMaxKnownPeers(int n) {
    return new SwarmLimits(maxPeers, maxParallel, maxClientConnections, n);
  }
}
