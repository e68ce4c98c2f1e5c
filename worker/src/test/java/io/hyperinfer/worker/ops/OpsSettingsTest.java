package io.hyperinfer.worker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.WorkerException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpsSettingsTest {
  private static Config config(String... overrides) {
    return ConfigLoader.withOverrides(Config.empty(), List.of(overrides));
  }

  @Test
  void shouldBeOffUnlessPortIsSet() {
    assertTrue(OpsSettings.fromConfig(Config.empty()).isEmpty());
    assertEquals(new OpsSettings(9100, 16, Duration.ofSeconds(5), Duration.ofSeconds(10), 8192),
        OpsSettings.fromConfig(config("facs.ops.port=9100")).orElseThrow());
  }

  @Test
  void shouldNameKeyAndExpectedFormWhenValueIsBad() {
    record Case(String override, String path, String message) {}
    for (Case c : List.of(
        new Case("facs.ops.port=99999", "facs.ops.port",
            "config key 'facs.ops.port' is invalid: expected a port number from 0 to 65535 (0 = any free port)"),
        new Case("facs.ops.port=\"abc\"", "facs.ops.port",
            "config key 'facs.ops.port' is invalid: expected an integer"),
        new Case("facs.ops.port=-1", "facs.ops.port",
            "config key 'facs.ops.port' is invalid: expected a port number from 0 to 65535 (0 = any free port)"),
        new Case("metrics.prometheus.enabled=true", "metrics.prometheus",
            "config key 'metrics.prometheus' is invalid: this section is gone: set facs.ops.port to serve /metrics"
                + " and /healthz"))) {
      ConfigException e = assertThrows(ConfigException.class, () -> OpsSettings.fromConfig(config(c.override())));
      assertEquals(c.path(), e.path());
      assertEquals(c.message(), e.getMessage());
      assertTrue(e.code().isExpected());
      assertEquals(e, WorkerException.expected(new IllegalStateException(e)).orElseThrow());
    }
    for (String bad : List.of("maxConnections=0", "maxHeadBytes=10", "readTimeout=0", "writeTimeout=0")) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> OpsSettings.fromConfig(config("facs.ops.port=0", "facs.ops." + bad)));
      assertEquals("facs.ops." + bad.substring(0, bad.indexOf('=')), e.path());
    }
  }
}
