package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.Role;
import io.hyperinfer.network.Roster;
import io.hyperinfer.network.RosterCache;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.trust.NetworkTrust;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's membership refreshed through its own net facility's DHT node: the operator publishes on the DHT, the
 * worker's {@link NetworkTrust} follows through {@link SwarmNetFacility#rosters} and caches what it accepts.
 */
@Timeout(120)
class SwarmRostersIT extends OnTestnet {
  private static final String PROCESSOR = "0c".repeat(32);
  @TempDir Path dir;

  @Test
  void shouldFollowRostersPublishedOnTheDhtWhenFetchingThroughTheFacilitysNode() throws Exception {
    NetworkKey operator = NetworkKey.generate();
    DhtRosters publisher = new DhtRosters(net.createNode(), operator);
    Roster v2 = Roster.empty(operator.hex()).admit(PROCESSOR, Role.PROCESSOR);
    publisher.publish(operator.sign(v2)).get(60, TimeUnit.SECONDS);
    Path file = dir.resolve("roster.bin");
    Config config = ConfigLoader.withOverrides(Config.empty(), List.of("network.key=" + operator.hex(),
        "network.roster=" + file, "network.refresh=100ms"));
    SwarmNetFacility facility = peers.start(Ed25519.generate(), config);
    NetworkTrust trust = new NetworkTrust(facility::rosters);
    try {
      trust.start(SwarmPeers.context(Ed25519.generate(), config));
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
      assertEquals(0, trust.refresher().orElseThrow().failures(), "every fetch went through the facility's node");
    } finally {
      trust.stop();
    }
  }

  @Test
  void shouldTrustTheDhtRosterOnceStartedWhenNoRosterIsCached() throws Exception {
    NetworkKey operator = NetworkKey.generate();
    new DhtRosters(net.createNode(), operator).publish(operator.sign(Roster.empty(operator.hex())
        .admit(PROCESSOR, Role.PROCESSOR))).get(60, TimeUnit.SECONDS);
    SwarmNetFacility facility = peers.start(Ed25519.generate());
    for (int i = 0; i < 5; i++) {
      Config config = ConfigLoader.withOverrides(Config.empty(), List.of("network.key=" + operator.hex(),
          "network.roster=" + dir.resolve("fresh-" + i + ".roster")));
      NetworkTrust trust = new NetworkTrust(facility::rosters);
      try {
        trust.start(SwarmPeers.context(Ed25519.generate(), config));
        assertTrue(trust.admits(PeerRef.ofHex(PROCESSOR), Role.PROCESSOR),
            "start " + i + ": a first start fetched the network's roster before returning");
      } finally {
        trust.stop();
      }
    }
  }

  @Test
  void shouldOfferRostersOnlyWhileTheFacilityRuns() throws Exception {
    NetworkKey network = NetworkKey.generate();
    SwarmNetFacility idle = new SwarmNetFacility();
    assertEquals(Optional.empty(), idle.rosters(network), "no node before start");

    SwarmNetFacility running = peers.start(Ed25519.generate());
    assertTrue(running.rosters(network).orElseThrow().fetch(0).get(60, TimeUnit.SECONDS).isEmpty(),
        "nothing published for this network yet");
    assertSame(DhtRosters.class, running.rosters(network).orElseThrow().getClass());

    running.stop();
    assertEquals(Optional.empty(), running.rosters(network), "its node is closed");
  }
}
