package io.hyperinfer.worker.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.testkit.ProjectPaths;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The test configuration of each tier, from files like the seed's {@code test-configs/}: {@code test-configs/} at the
 * repository root holds {@code common.json} and one file per tier ({@code unit.json}, {@code integration.json},
 * {@code e2e.json}), read by the workers' own {@link ConfigLoader} (so the same merge rules and the same errors).
 * Worker settings live where the workers read them ({@code auth.passwordHash}, {@code worker.drainTimeout}); what only tests read is under {@code test} ({@code test.timeouts.workerStart},
 * {@code test.timeouts.await}, {@code test.network.seed}). Stateless, thread-safe.
 */
public final class TestConfigs {
  /** A test tier, named as its file. */
  public enum Tier {
    UNIT, INTEGRATION, E2E;

    String env() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private TestConfigs() {}

  /** Where the files are: {@code test-configs/} at the repository root. */
  public static Path directory() {
    return ProjectPaths.root().resolve("test-configs");
  }

  /** {@code common.json} then the tier's file, then {@code key.path=value} overrides. */
  public static Config load(Tier tier, String... overrides) {
    return ConfigLoader.load(directory(), tier.env(), List.of(overrides));
  }

  /** {@code base} with the JSON object {@code json} deep-merged over it: a worker's own settings over the tier's. */
  public static Config with(Config base, String json) {
    ObjectNode tree = base.json();
    ConfigLoader.merge(tree, Json.parse(json));
    return Config.of(tree);
  }

  /** How long a worker gets to become ready ({@code test.timeouts.workerStart}). */
  public static Duration workerStart(Config config) {
    return config.duration("test.timeouts.workerStart");
  }

  /** How long a test waits for a condition ({@code test.timeouts.await}). */
  public static Duration await(Config config) {
    return config.duration("test.timeouts.await");
  }

  /**
   * The seed of the in-memory network's faults: {@code -Dtest.seed} when given (to replay a run), else
   * {@code test.network.seed}; printed like every seed, so a failure names it.
   */
  public static long networkSeed(Config config, String testName) {
    String fixed = System.getProperty("test.seed", "");
    long seed = fixed.isBlank() ? config.longValue("test.network.seed") : Long.parseLong(fixed.trim());
    System.out.println("[seed] " + testName + " -Dtest.seed=" + seed);
    return seed;
  }
}
