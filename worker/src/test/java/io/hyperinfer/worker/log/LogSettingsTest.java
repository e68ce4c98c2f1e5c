package io.hyperinfer.worker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogSettingsTest {
  private static Config config(String... overrides) {
    return ConfigLoader.withOverrides(Config.empty(), List.of(overrides));
  }

  @Test
  void shouldTakeConfigThenPropertyThenEnvironmentWhenSeveralSetOneKey() {
    Map<String, String> props = Map.of("hyperinfer.log.format", "json", "hyperinfer.log.level", "debug");
    Map<String, String> env = Map.of("HYPERINFER_LOG_FORMAT", "plain", "HYPERINFER_LOG_LEVEL", "ERROR",
        "HYPERINFER_LOG_FILE", "/var/log/h.log", "HYPERINFER_LOG_MAX_FILE_SIZE", "2MB", "HYPERINFER_LOG_MAX_FILES", "7");
    LogSettings fromAll = LogSettings.from(props::get, env, config("log.level=WARN"));
    assertEquals("json", fromAll.format());
    assertEquals("WARN", fromAll.level());
    assertTrue(fromAll.levelExplicit());
    assertEquals(Optional.of(Path.of("/var/log/h.log")), fromAll.file());
    assertEquals(2L << 20, fromAll.maxFileSize());
    assertEquals(7, fromAll.maxFiles());
    assertEquals("plain", LogSettings.from(k -> null, env, Config.empty()).format());
  }

  @Test
  void shouldUseDefaultsWhenNothingIsSet() {
    LogSettings s = LogSettings.from(k -> null, Map.of(), Config.empty());
    assertEquals(new LogSettings("plain", "INFO", Optional.empty(), 10L << 20, 5, false), s);
    assertFalse(s.levelExplicit());
    assertFalse(LogSettings.configures(Config.empty()));
    assertTrue(LogSettings.configures(config("log.format=json")));
  }

  @Test
  void shouldNameKeyAndExpectedFormWhenValueIsBad() {
    record Case(String override, String path, String expected) {}
    for (Case c : List.of(new Case("log.format=xml", "log.format", "expected \"plain\" or \"json\""),
        new Case("log.level=LOUD", "log.level", "expected one of TRACE"),
        new Case("log.maxFileSize=big", "log.maxFileSize", "expected a size such as \"10MB\""),
        new Case("log.maxFileSize=10", "log.maxFileSize", "at least 1KB"),
        new Case("log.maxFiles=0", "log.maxFiles", "from 1 to 20"),
        new Case("log.maxFiles=many", "log.maxFiles", "from 1 to 20"))) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> LogSettings.from(k -> null, Map.of(), config(c.override())), c.override());
      assertEquals(c.path(), e.path());
      assertTrue(e.getMessage().contains(c.expected()), e.getMessage());
    }
  }

  @Test
  void shouldReadSizesWithUnitsWhenParsing() {
    assertEquals(1536, LogSettings.size("1536"));
    assertEquals(4L << 10, LogSettings.size("4kb"));
    assertEquals(3L << 30, LogSettings.size(" 3 GB "));
  }
}
