package io.hyperinfer.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.app.LauncherException;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.Role;
import io.hyperinfer.network.Roster;
import io.hyperinfer.network.RosterCache;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.fs.DataDirs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkConfigTest {
  @TempDir
  Path dir;

  private final NetworkKey network = NetworkKey.generate();
  private final Roster first = Roster.empty(network.hex()).admit("aa".repeat(32), Role.GATEWAY);

  private long cachedSeq(DataDirs dirs, String name) {
    return new RosterCache(NetworkConfig.rosterCache(dirs, network.hex(), name)).load(network).orElseThrow().roster()
        .seq();
  }

  @Test
  void shouldSeedOwnCacheFromNewerRosterAndNeverDowngradeItWhenJoining() {
    DataDirs dirs = DataDirs.under(dir);
    Path operator = dir.resolve("operator.roster");
    new RosterCache(operator).store(network.sign(first));
    ObjectNode tree = Json.object();
    NetworkConfig.put(tree, "--network", network.hex(), dirs, "cli", Optional.of(operator));
    assertEquals(network.hex(), tree.path("network").path("key").asText());
    assertEquals(NetworkConfig.rosterCache(dirs, network.hex(), "cli").toString(),
        tree.path("network").path("roster").asText());
    assertEquals(first.seq(), cachedSeq(dirs, "cli"));

    Roster newer = first.admit("bb".repeat(32), Role.PROCESSOR);
    new RosterCache(NetworkConfig.rosterCache(dirs, network.hex(), "cli")).store(network.sign(newer));
    NetworkConfig.put(Json.object(), "--network", network.hex(), dirs, "cli", Optional.of(operator));
    assertEquals(newer.seq(), cachedSeq(dirs, "cli"), "an older seed leaves a newer cache alone");
  }

  @Test
  void shouldKeepEachNetworksCachesApartWhenKeysDiffer() {
    DataDirs dirs = DataDirs.under(dir);
    assertNotEquals(NetworkConfig.rosterCache(dirs, network.hex(), "cli"),
        NetworkConfig.rosterCache(dirs, NetworkKey.generate().hex(), "cli"));
  }

  @Test
  void shouldRefuseWhenTheNetworkKeyIsMalformed() {
    LauncherException e = assertThrows(LauncherException.class, () -> NetworkConfig.put(Json.object(), "--network",
        "not-a-key", DataDirs.under(dir), "cli", Optional.empty()));
    assertTrue(e.getMessage().startsWith("--network"), e.getMessage());
  }

  @Test
  void shouldTakeTheKeyOfTheLocalNetworkFileOnlyWhenItHasOne() throws Exception {
    DataDirs dirs = DataDirs.under(dir).create();
    ObjectNode open = Json.object();
    new NetworkFile(List.of(new HostPort("127.0.0.1", 7)), ProcessHandle.current().pid(), Instant.now()).write(dirs);
    NetworkConfig.fromNetworkFile(open, dirs, "cli");
    assertFalse(open.has("network"), "a network on open topics adds nothing");

    Path operator = dir.resolve("operator.roster");
    new RosterCache(operator).store(network.sign(first));
    new NetworkFile(List.of(new HostPort("127.0.0.1", 7)), ProcessHandle.current().pid(), Instant.now(),
        Optional.of(network.hex()), Optional.of(operator)).write(dirs);
    ObjectNode joined = Json.object();
    NetworkConfig.fromNetworkFile(joined, dirs, "worker");
    assertEquals(network.hex(), joined.path("network").path("key").asText());
    assertEquals(first.seq(), cachedSeq(dirs, "worker"));
    assertEquals(Optional.of(operator), NetworkConfig.localRoster(dirs, network.hex()));
    assertEquals(Optional.empty(), NetworkConfig.localRoster(dirs, NetworkKey.generate().hex()));
  }
}
