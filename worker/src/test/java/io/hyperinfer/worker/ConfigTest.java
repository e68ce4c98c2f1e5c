package io.hyperinfer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private final Config config = Config.of(Json.parse("""
      {"auth": {"session": {"ttl": "30m", "ttlMs": 1500, "iso": "PT2S", "bad": "soon", "neg": -5},
                "name": "auth", "port": 8080, "big": 9999999999, "on": true, "ratio": 0.5, "nothing": null}}
      """));

  @Test
  void shouldReadTypedValuesWhenKeysExist() {
    assertEquals("auth", config.string("auth.name"));
    assertEquals(8080, config.intValue("auth.port"));
    assertEquals(9999999999L, config.longValue("auth.big"));
    assertTrue(config.bool("auth.on"));
    assertEquals(Duration.ofMinutes(30), config.duration("auth.session.ttl"));
    assertEquals(Duration.ofMillis(1500), config.duration("auth.session.ttlMs"));
    assertEquals(Duration.ofSeconds(2), config.duration("auth.session.iso"));
    assertEquals(8080, config.at("/auth/port").asInt());
    assertTrue(config.node("auth.port", true).isPresent());
    assertTrue(config.node("auth.nope", false).isEmpty());
  }

  @Test
  void shouldParseEveryShortDurationUnitWhenGiven() {
    Config c = Config.of(Json.parse("{\"a\":\"250ms\",\"b\":\"3s\",\"c\":\"2m\",\"d\":\"1h\",\"e\":\"1d\"}"));
    assertEquals(Duration.ofMillis(250), c.duration("a"));
    assertEquals(Duration.ofSeconds(3), c.duration("b"));
    assertEquals(Duration.ofMinutes(2), c.duration("c"));
    assertEquals(Duration.ofHours(1), c.duration("d"));
    assertEquals(Duration.ofDays(1), c.duration("e"));
  }

  @Test
  void shouldUseFallbackWhenKeyIsMissingOrNull() {
    assertEquals("x", config.string("auth.missing", "x"));
    assertEquals(7, config.intValue("auth.nothing", 7));
    assertEquals(8L, config.longValue("nope.deep", 8L));
    assertFalse(config.bool("auth.off", false));
    assertEquals(Duration.ofSeconds(1), config.duration("auth.none", Duration.ofSeconds(1)));
    assertEquals("auth", config.string("auth.name", "x"));
  }

  @Test
  void shouldNameFullPathWhenKeyIsMissing() {
    ConfigException e = assertThrows(ConfigException.class, () -> config.string("auth.session.secret"));
    assertEquals("auth.session.secret", e.path());
    assertEquals(WorkerException.Code.CONFIG_MISSING, e.code());
    assertTrue(e.getMessage().contains("auth.session.secret"));
  }

  @Test
  void shouldReadScalarAsTextWhenStringKeyHoldsNumberOrBoolean() {
    assertEquals("8080", config.string("auth.port"));
    assertEquals("9999999999", config.string("auth.big"));
    assertEquals("true", config.string("auth.on"));
  }

  @Test
  void shouldNameFullPathWhenValueHasWrongType() {
    assertEquals("auth.session", assertThrows(ConfigException.class, () -> config.string("auth.session")).path());
    assertEquals("auth.name", assertThrows(ConfigException.class, () -> config.intValue("auth.name")).path());
    assertEquals("auth.big", assertThrows(ConfigException.class, () -> config.intValue("auth.big")).path());
    assertEquals("auth.ratio", assertThrows(ConfigException.class, () -> config.longValue("auth.ratio")).path());
    assertEquals("auth.port", assertThrows(ConfigException.class, () -> config.bool("auth.port")).path());
    assertEquals("auth.session.bad",
        assertThrows(ConfigException.class, () -> config.duration("auth.session.bad")).path());
    assertEquals("auth.session.neg",
        assertThrows(ConfigException.class, () -> config.duration("auth.session.neg")).path());
    assertEquals("auth.on", assertThrows(ConfigException.class, () -> config.duration("auth.on")).path());
    assertEquals(WorkerException.Code.CONFIG_INVALID,
        assertThrows(ConfigException.class, () -> config.string("auth..x")).code());
  }

  @Test
  void shouldKeepFullPathsWhenReadingThroughSection() {
    Config session = config.section("auth.session");
    assertEquals(Duration.ofMinutes(30), session.duration("ttl"));
    assertEquals("auth.session.nope", assertThrows(ConfigException.class, () -> session.string("nope")).path());
    assertFalse(config.section("absent").has("x"));
    assertEquals("absent.x", assertThrows(ConfigException.class, () -> config.section("absent").string("x")).path());
    assertEquals("auth.port", assertThrows(ConfigException.class, () -> config.section("auth.port")).path());
    assertTrue(session.toString().contains("auth.session"));
    assertTrue(Config.empty().toString().contains("root"));
  }

  @Test
  void shouldNotChangeWhenCallerMutatesTrees() {
    var tree = config.json();
    tree.put("auth", 1);
    assertEquals("auth", config.string("auth.name"));
    assertThrows(ConfigException.class, () -> Config.of(Json.parse("[1]")));
  }
}
