package io.hyperinfer.worker.net.swarm;

/**
 * The whole net contract with {@code facs.net.connections=swarm}: each pair of peers shares one swarm connection that
 * carries calls both ways.
 */
class SwarmConnectionsContractIT extends SwarmNetFacilityContractIT {
  @Override
  protected String connections() {
    return "swarm";
  }
}
