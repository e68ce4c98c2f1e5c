package io.hyperinfer.app.net;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.swarm.SwarmNetFacility;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;

/**
 * The launcher's one choice of transport: every worker, client and peer it runs is on the real network, the
 * Hyperswarm net facility (HyperDHT discovery, @hyperswarm/rpc over Noise-encrypted UDX), configured under
 * {@code facs.net} ({@code bootstrap}, {@code host}, {@code port}, ...). Nothing the launcher runs uses the in-memory
 * network. Thread-safe.
 */
public final class Transport {
  private Transport() {}

  /** A new net facility; it binds and joins the network as its worker's {@code facs.net} says when it starts. */
  public static NetFacility facility() {
    return new SwarmNetFacility();
  }

  /** A config whose {@code facs.net.bootstrap} lists {@code bootstrap}, on 127.0.0.1 at any free port. */
  public static ObjectNode joining(List<HostPort> bootstrap) {
    ObjectNode tree = Json.object();
    ObjectNode net = tree.putObject("facs").putObject("net");
    ArrayNode nodes = net.putArray("bootstrap");
    bootstrap.forEach(b -> nodes.add(b.host() + ":" + b.port()));
    net.put("host", "127.0.0.1").put("port", 0);
    return tree;
  }

  /**
   * A started net facility with identity {@code keys}, joined through {@code bootstrap}: a peer that is not a worker
   * (the demo playing a gateway, a probe). The caller stops it.
   */
  public static NetFacility peer(String name, List<HostPort> bootstrap, KeyPair keys) throws Exception {
    return peer(name, joining(bootstrap), keys);
  }

  /** {@link #peer(String, List, KeyPair)} with the config {@code tree} (e.g. a {@code network.key} for its topics). */
  public static NetFacility peer(String name, ObjectNode tree, KeyPair keys) throws Exception {
    NetFacility net = facility();
    net.start(new FacilityContext(new WorkerContext("peer", "launcher", name), Config.of(tree), Clock.systemUTC(),
        new SimpleMeterRegistry(), () -> keys));
    return net;
  }
}
