package io.hyperinfer.dht.sim;

import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A bootstrapper and persistent nodes on a {@link SimNetwork}, each ready (bootstrapped) when returned, as JS's
 * {@code createTestnet} but on virtual time. Confined to the network's driving thread.
 */
public final class SimTestnet {
  /** Virtual time a node may take to bootstrap. */
  public static final long READY_WITHIN_MS = 120_000;

  private final SimNetwork network;
  private final DhtNode bootstrapper;
  private final List<DhtNode> nodes = new ArrayList<>();

  private SimTestnet(SimNetwork network) {
    this.network = network;
    this.bootstrapper = DhtNode.bootstrapper(network.runtime(), NodeOptions.DEFAULT);
    network.await(bootstrapper.ready(), READY_WITHIN_MS);
    nodes.add(bootstrapper);
  }

  /** A bootstrapper plus {@code size - 1} persistent nodes, started one after another. */
  public static SimTestnet create(SimNetwork network, int size) {
    SimTestnet t = new SimTestnet(network);
    for (int i = 1; i < size; i++) {
      t.add(UnaryOperator.identity());
    }
    return t;
  }

  /** A persistent node joining through the bootstrapper, ready. */
  public DhtNode add(UnaryOperator<NodeOptions> tune) {
    return add(network.runtime(), tune);
  }

  /** A node on {@code runtime} (persistent unless {@code tune} says otherwise), ready. */
  public DhtNode add(SimRuntime runtime, UnaryOperator<NodeOptions> tune) {
    NodeOptions options = tune.apply(
        NodeOptions.DEFAULT.withMode(NodeOptions.Mode.PERSISTENT).withBootstrap(bootstrap()));
    DhtNode node = DhtNode.create(runtime, options);
    network.await(node.ready(), READY_WITHIN_MS);
    nodes.add(node);
    return node;
  }

  public SimNetwork network() {
    return network;
  }

  public DhtNode bootstrapper() {
    return bootstrapper;
  }

  /** Every node, the bootstrapper first. */
  public List<DhtNode> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  /** The bootstrap list to join this network with. */
  public List<HostPort> bootstrap() {
    return List.of(bootstrapper.localAddress());
  }
}
