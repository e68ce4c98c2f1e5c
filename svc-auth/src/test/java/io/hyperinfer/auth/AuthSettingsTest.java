package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.PasswordHash;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.Json;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {
  private static AuthSettings parse(String json) {
    return AuthSettings.fromConfig(Config.of(Json.parse(json)));
  }

  private static String badKey(String json) {
    return assertThrows(ConfigException.class, () -> parse(json)).getMessage();
  }

  @Test
  void shouldUseDefaultsWhenSectionIsAbsent() {
    assertEquals(AuthSettings.defaults(), AuthSettings.fromConfig(Config.empty()));
    AuthSettings d = AuthSettings.defaults();
    assertEquals(PasswordHash.INTERACTIVE, d.hashing());
    assertEquals(Duration.ofHours(12), d.sessionTtl());
    assertEquals("hyperinfer/auth", d.topic());
  }

  @Test
  void shouldReadEveryKeyWhenGiven() {
    String gw = "AB".repeat(32);
    AuthSettings s = parse("{\"auth\":{\"passwordHash\":\"minimum-for-tests\",\"password\":{\"minLength\":12,"
        + "\"maxLength\":64},\"session\":{\"ttl\":\"30m\"},\"backoff\":{\"freeAttempts\":2,\"base\":\"2s\","
        + "\"max\":\"1m\"},\"admins\":[\"Root@Example.com\"],\"gateways\":[\"" + gw + "\"],\"topic\":\"t\","
        + "\"maxKeysPerUser\":7,\"hashConcurrency\":3}}");
    assertEquals(new AuthSettings(PasswordHash.MINIMUM_FOR_TESTS, new PasswordPolicy(12, 64), Duration.ofMinutes(30),
        2, Duration.ofSeconds(2), Duration.ofMinutes(1), Set.of("root@example.com"), Set.of("ab".repeat(32)), "t", 7,
        3), s);
    assertEquals(Set.of("x@example.com"), s.withAdminEmails(Set.of("x@example.com")).adminEmails());
    assertEquals(Set.of(), s.withGateways(Set.of()).gateways());
  }

  @Test
  void shouldNameTheKeyWhenConfigIsInvalid() {
    assertTrue(badKey("{\"auth\":{\"passwordHash\":\"weak\"}}").contains("auth.passwordHash"));
    assertTrue(badKey("{\"auth\":{\"password\":{\"minLength\":0}}}").contains("auth.password"));
    assertTrue(badKey("{\"auth\":{\"session\":{\"ttl\":0}}}").contains("auth.session.ttl"));
    assertTrue(badKey("{\"auth\":{\"backoff\":{\"freeAttempts\":0}}}").contains("auth.backoff"));
    assertTrue(badKey("{\"auth\":{\"backoff\":{\"base\":\"10s\",\"max\":\"1s\"}}}").contains("auth.backoff"));
    assertTrue(badKey("{\"auth\":{\"backoff\":{\"base\":0}}}").contains("auth.backoff"));
    assertTrue(badKey("{\"auth\":{\"admins\":[\"nope\"]}}").contains("auth.admins"));
    assertTrue(badKey("{\"auth\":{\"admins\":\"a@b.com\"}}").contains("auth.admins"));
    assertTrue(badKey("{\"auth\":{\"gateways\":[1]}}").contains("auth.gateways"));
    assertTrue(badKey("{\"auth\":{\"gateways\":[\"abc\"]}}").contains("auth.gateways"));
    assertTrue(badKey("{\"auth\":{\"gateways\":[\"" + "zz".repeat(32) + "\"]}}").contains("auth.gateways"));
    assertTrue(badKey("{\"auth\":{\"maxKeysPerUser\":0}}").contains("auth.maxKeysPerUser"));
    assertTrue(badKey("{\"auth\":{\"hashConcurrency\":0}}").contains("auth.hashConcurrency"));
    assertEquals(Set.of(), parse("{\"auth\":{\"gateways\":null}}").gateways());
    AuthSettings d = AuthSettings.defaults();
    assertThrows(IllegalArgumentException.class, () -> new AuthSettings(d.hashing(), d.policy(), d.sessionTtl(),
        d.freeAttempts(), d.backoffBase(), d.backoffMax(), d.adminEmails(), d.gateways(), d.topic(),
        d.maxKeysPerUser(), 0));
  }
}
