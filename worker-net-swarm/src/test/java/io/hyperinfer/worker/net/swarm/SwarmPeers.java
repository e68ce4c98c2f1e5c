package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.testkit.TestDataFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Starts swarm facilities, each with a node of its own, on one loopback testnet, and stops them all. Test thread. */
final class SwarmPeers implements AutoCloseable {
  private final Testnet net;
  private final List<SwarmNetFacility> started = new ArrayList<>();

  SwarmPeers(Testnet net) {
    this.net = net;
  }

  /** The override that points a facility at {@code testnet}'s bootstrap node. */
  static String bootstrap(Testnet testnet) {
    return "facs.net.bootstrap=[\"" + testnet.bootstrap().getFirst().host() + ":"
        + testnet.bootstrap().getFirst().port() + "\"]";
  }

  /** A facility started as {@code keys} with the testnet's bootstrap plus {@code overrides}. */
  SwarmNetFacility start(KeyPair keys, Config base, String... overrides) {
    List<String> all = new ArrayList<>(List.of(bootstrap(net)));
    all.addAll(List.of(overrides));
    SwarmNetFacility f = new SwarmNetFacility();
    f.start(context(keys, ConfigLoader.withOverrides(base, all)));
    started.add(f);
    return f;
  }

  SwarmNetFacility start(KeyPair keys) {
    return start(keys, Config.empty());
  }

  static FacilityContext context(KeyPair keys, Config config) {
    return new FacilityContext(TestDataFactory.context("peer"), config, Clock.systemUTC(), new SimpleMeterRegistry(),
        () -> keys);
  }

  @Override
  public void close() {
    started.forEach(SwarmNetFacility::stop);
    started.clear();
  }
}
