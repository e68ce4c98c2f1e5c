package io.hyperinfer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  private void write(String name, String json) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, json);
  }

  @Test
  void shouldDeepMergeEnvOverCommonWhenBothExist() throws IOException {
    write("common.json", "{\"auth\":{\"ttl\":\"1h\",\"name\":\"auth\"},\"list\":[1,2]}");
    write("test.json", "{\"auth\":{\"ttl\":\"5m\"},\"list\":[3]}");
    Config c = ConfigLoader.load(dir, "test", List.of());
    assertEquals("5m", c.string("auth.ttl"));
    assertEquals("auth", c.string("auth.name"));
    assertEquals(1, c.at("/list").size());
  }

  @Test
  void shouldPlaceFacilityFilesUnderFacsWhenPresent() throws IOException {
    write("common.json", "{\"facs\":{\"net\":{\"timeout\":\"9s\",\"keep\":1}}}");
    write("facs/net.config.json", "{\"timeout\":\"3s\",\"topicAttempts\":2}");
    write("facs/test.net.config.json", "{\"topicAttempts\":5}");
    write("facs/prod.net.config.json", "{\"topicAttempts\":9}");
    write("facs/test.store.config.json", "{\"dir\":\"/tmp/x\"}");
    write("facs/notes.txt", "ignored");
    Config c = ConfigLoader.load(dir, "test", List.of());
    assertEquals("3s", c.string("facs.net.timeout"));
    assertEquals(5, c.intValue("facs.net.topicAttempts"));
    assertEquals(1, c.intValue("facs.net.keep"));
    assertEquals("/tmp/x", c.string("facs.store.dir"));
    assertFalse(c.has("facs.prod"));
  }

  @Test
  void shouldApplyOverridesLastWhenGivenOnCommandLine() throws IOException {
    write("common.json", "{\"auth\":{\"ttl\":\"1h\"},\"scalar\":1}");
    Config c = ConfigLoader.load(dir, "dev", List.of("auth.ttl=2h", "auth.max=5", "auth.on=true",
        "scalar.child=x", "obj={\"a\":1}", "text=hello world"));
    assertEquals("2h", c.string("auth.ttl"));
    assertEquals(5, c.intValue("auth.max"));
    assertTrue(c.bool("auth.on"));
    assertEquals("x", c.string("scalar.child"));
    assertEquals(1, c.intValue("obj.a"));
    assertEquals("hello world", c.string("text"));
  }

  @Test
  void shouldKeepDigitsExactlyWhenOverrideOfStringKeyIsAllDigits() {
    String digits = "0".repeat(10) + "1234567890".repeat(5) + "1234";
    Config c = ConfigLoader.withOverrides(Config.empty(), List.of("network.key=" + digits,
        "network.big=" + digits.substring(10), "a.decimal=1.50", "a.exp=1e3", "a.negzero=-0", "a.port=8080"));
    assertEquals(digits, c.string("network.key"));
    assertEquals(digits.substring(10), c.string("network.big"));
    assertEquals("1.50", c.string("a.decimal"));
    assertEquals("1e3", c.string("a.exp"));
    assertEquals("-0", c.string("a.negzero"));
    assertEquals("8080", c.string("a.port"));
    assertEquals(8080, c.intValue("a.port"));
  }

  @Test
  void shouldRejectOverrideWhenItHasNoKey() {
    assertEquals("=1", assertThrows(ConfigException.class,
        () -> ConfigLoader.withOverrides(Config.empty(), List.of("=1"))).path());
    assertEquals("a..b", assertThrows(ConfigException.class,
        () -> ConfigLoader.withOverrides(Config.empty(), List.of("a..b=1"))).path());
    assertEquals("a.", assertThrows(ConfigException.class,
        () -> ConfigLoader.withOverrides(Config.empty(), List.of("a.=1"))).path());
    assertThrows(ConfigException.class, () -> ConfigLoader.withOverrides(Config.empty(), List.of("novalue")));
  }

  @Test
  void shouldNameFileWhenJsonIsMalformed() throws IOException {
    write("common.json", "{\"auth\": ");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, "test", List.of()));
    assertEquals("common.json", e.path());
    write("common.json", "[1,2]");
    assertEquals("common.json",
        assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, "test", List.of())).path());
  }

  @Test
  void shouldLoadEmptyConfigWhenDirectoryHasNoFiles() {
    Config c = ConfigLoader.load(dir.resolve("absent"), "test", List.of());
    assertFalse(c.has("anything"));
  }
}
