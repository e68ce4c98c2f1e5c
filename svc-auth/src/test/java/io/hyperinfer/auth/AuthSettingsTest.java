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

  @Test
  void shouldReadAbuseLimitsWhenGiven() {
    AuthSettings s = parse("{\"auth\":{\"password\":{\"minEntropyBits\":40},\"backoff\":{\"account\":{"
        + "\"freeAttempts\":7,\"base\":\"3s\",\"max\":\"9s\"},\"forgetAfter\":\"2h\",\"maxTracked\":500},"
        + "\"throttle\":{\"login\":{\"burst\":4,\"every\":\"5s\"},\"register\":{\"burst\":2,"
        + "\"every\":\"10m\"},\"maxKeys\":77}}}");
    var rate = io.hyperinfer.worker.throttle.KeyedRateLimiter.Rate.class;
    assertEquals(40, s.policy().minEntropyBits());
    assertEquals(new AbuseLimits(7, Duration.ofSeconds(3), Duration.ofSeconds(9), Duration.ofHours(2), 500,
        new io.hyperinfer.worker.throttle.KeyedRateLimiter.Rate(4, Duration.ofSeconds(5)),
        new io.hyperinfer.worker.throttle.KeyedRateLimiter.Rate(2, Duration.ofMinutes(10)), 77), s.abuse());
    assertEquals(7, s.backoff().accountFreeAttempts());
    assertEquals(AbuseLimits.DEFAULT, AuthSettings.defaults().abuse());
    assertEquals(rate, s.abuse().login().getClass());
    assertTrue(badKey("{\"auth\":{\"throttle\":{\"login\":{\"burst\":0}}}}").contains("auth.throttle"));
    assertTrue(badKey("{\"auth\":{\"backoff\":{\"account\":{\"max\":\"1ms\"}}}}").contains("auth.backoff"));
    assertThrows(IllegalArgumentException.class, () -> new AbuseLimits(0, Duration.ofSeconds(1),
        Duration.ofSeconds(1), Duration.ofHours(1), 10, AbuseLimits.DEFAULT.login(), AbuseLimits.DEFAULT.register(),
        10));
    assertThrows(IllegalArgumentException.class, () -> new AbuseLimits(1, Duration.ofSeconds(1),
        Duration.ofSeconds(1), Duration.ZERO, 10, AbuseLimits.DEFAULT.login(), AbuseLimits.DEFAULT.register(), 10));
    assertEquals(s.policy(), AuthSettings.defaults().withPolicy(s.policy()).policy());
  }
}
