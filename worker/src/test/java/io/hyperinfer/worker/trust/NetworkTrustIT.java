package io.hyperinfer.worker.trust;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.network.DhtRosters;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.Role;
import io.hyperinfer.network.Roster;
import io.hyperinfer.network.RosterCache;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.PeerRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A worker's membership refreshed from the DHT: the operator publishes, the worker follows and caches. */
@Timeout(120)
class NetworkTrustIT {
  private static final String PROCESSOR = "0c".repeat(32);
  @TempDir Path dir;

  @Test
  void shouldFollowRostersPublishedOnTheDhtAndCacheThem() throws Exception {
    try (Testnet net = Testnet.create(4)) {
      NetworkKey operator = NetworkKey.generate();
      DhtRosters publisher = new DhtRosters(net.createNode(), operator);
      Roster v2 = Roster.empty(operator.hex()).admit(PROCESSOR, Role.PROCESSOR);
      publisher.publish(operator.sign(v2)).get(60, TimeUnit.SECONDS);
      String bootstrap = net.bootstrap().stream().map(hp -> hp.host() + ":" + hp.port())
          .collect(Collectors.joining(","));
      Path file = dir.resolve("roster.bin");
      Config config = ConfigLoader.withOverrides(Config.empty(), List.of("network.key=" + operator.hex(),
          "network.roster=" + file, "network.refresh=100ms", "facs.net.bootstrap=" + bootstrap));
      NetworkTrust trust = new NetworkTrust();
      try {
        trust.start(new FacilityContext(new WorkerContext("test", "test", "1"), config, Clock.systemUTC(),
            new SimpleMeterRegistry(), () -> null));
        PeerRef processor = PeerRef.ofHex(PROCESSOR);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> trust.admits(processor, Role.PROCESSOR));

        long t0 = System.nanoTime();
        publisher.publish(operator.sign(v2.revoke(PROCESSOR, null))).get(60, TimeUnit.SECONDS);
        long published = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
            .until(() -> !trust.admits(processor, Role.PROCESSOR));
        // A figure for SECURITY.md's revocation bound, not an assertion: publish, then refresh interval + one fetch.
        System.out.printf("[measure] revocation: publish %d ms, then cut off after %d ms (refresh 100 ms)%n",
            (published - t0) / 1_000_000, (System.nanoTime() - published) / 1_000_000);
        // The book switches first, then its listeners write the cache.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(
            new RosterCache(file).load(operator).orElseThrow().roster().isRevoked(PROCESSOR),
            "the newest roster is cached for the next start"));
      } finally {
        trust.stop();
      }
    }
  }
}
