package io.hyperinfer.worker.net.swarm;

/**
 * D2-9 with {@code facs.net.connections=swarm}: a plain JS @hyperswarm/rpc client that dials the worker is answered
 * on the swarm's connection (the channel named by our key), and the worker's swarm connection to a JS
 * @hyperswarm/rpc server calls it on the channel named by the server's key.
 */
class SwarmConnectionsInteropIT extends SwarmInteropIT {
  @Override
  protected String connections() {
    return "swarm";
  }
}
