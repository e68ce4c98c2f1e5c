package io.hyperinfer.worker.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.testkit.TestConfigs.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The files in test-configs/, read by the workers' config loader: what each tier gets, and what none may get. */
class TestConfigsTest {
  @Test
  void shouldGiveEveryTierTheCheapestPasswordHashAndItsOwnTimeouts() {
    for (Tier tier : Tier.values()) {
      Config c = TestConfigs.load(tier);
      assertEquals("minimum-for-tests", c.string("auth.passwordHash"), tier.name());
      assertTrue(TestConfigs.workerStart(c).compareTo(Duration.ZERO) > 0, tier.name());
      assertTrue(TestConfigs.await(c).compareTo(TestConfigs.workerStart(c)) >= 0, tier.name());
      assertTrue(c.duration(Worker.DRAIN_TIMEOUT).compareTo(Duration.ofSeconds(1)) < 0, tier.name());
    }
    assertTrue(TestConfigs.workerStart(TestConfigs.load(Tier.UNIT))
        .compareTo(TestConfigs.workerStart(TestConfigs.load(Tier.E2E))) < 0, "unit tests get the shortest leash");
  }

  /** No tier may point a test at a real address: every host is loopback, every port 0 (any free one). */
  @Test
  void shouldKeepEveryTierOnLoopbackWithEphemeralPorts() {
    for (Tier tier : Tier.values()) {
      List<String> bad = new ArrayList<>();
      walk("", TestConfigs.load(tier).json(), bad);
      assertEquals(List.of(), bad, tier.name());
    }
  }

  private static void walk(String path, JsonNode node, List<String> bad) {
    node.properties().forEach(e -> {
      String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      JsonNode v = e.getValue();
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (v.isObject()) {
        walk(key, v, bad);
      } else if (name.endsWith("host") && !"127.0.0.1".equals(v.asText())) {
        bad.add(key + "=" + v);
      } else if (name.endsWith("port") && v.asInt(-1) != 0) {
        bad.add(key + "=" + v);
      } else if (name.contains("bootstrap") && !v.toString().contains("127.0.0.1")) {
        bad.add(key + "=" + v);
      }
    });
  }

  @Test
  void shouldLetOverridesAndAWorkersOwnJsonWinOverTheTier() {
    Config c = TestConfigs.load(Tier.INTEGRATION, "test.timeouts.await=1m");
    assertEquals(Duration.ofMinutes(1), TestConfigs.await(c));
    Config gateway = TestConfigs.with(c, "{\"gateway\":{\"limits\":{\"requestsPerMinute\":2}},\"worker\":{}}");
    assertEquals(2, gateway.intValue("gateway.limits.requestsPerMinute"));
    assertEquals(c.duration(Worker.DRAIN_TIMEOUT), gateway.duration(Worker.DRAIN_TIMEOUT), "merged, not replaced");
    assertEquals("minimum-for-tests", gateway.string("auth.passwordHash"));
  }

  @Test
  void shouldReplayTheNetworkSeedGivenOnTheCommandLine() {
    Config e2e = TestConfigs.load(Tier.E2E);
    String saved = System.getProperty("test.seed");
    try {
      System.clearProperty("test.seed");
      assertEquals(e2e.longValue("test.network.seed"), TestConfigs.networkSeed(e2e, "TestConfigsTest"));
      System.setProperty("test.seed", "-42");
      assertEquals(-42, TestConfigs.networkSeed(e2e, "TestConfigsTest"));
    } finally {
      if (saved == null) {
        System.clearProperty("test.seed");
      } else {
        System.setProperty("test.seed", saved);
      }
    }
  }

  @Test
  void shouldNameTheMissingKeyWhenATierLacksATimeout() {
    ConfigException e = assertThrows(ConfigException.class, () -> TestConfigs.await(Config.empty()));
    assertEquals("test.timeouts.await", e.path());
  }
}
