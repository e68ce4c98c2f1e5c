package io.hyperinfer.client.openai.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpLimitsTest {
  @Test
  void shouldUseDefaultsWhenConfigSetsNothing() {
    assertEquals(HttpLimits.DEFAULT, HttpLimits.fromConfig(Config.empty()));
  }

  @Test
  void shouldTakeEachKeyFromTheClientOpenAiSection() {
    HttpLimits l = HttpLimits.fromConfig(Config.of(Json.parse("{\"client\":{\"openai\":{\"maxInFlight\":8,"
        + "\"maxConnections\":32,\"maxBodyBytes\":1048576,\"writeTimeout\":\"3s\",\"idleTimeout\":500}}}")));
    assertEquals(8, l.maxInFlight());
    assertEquals(32, l.maxConnections());
    assertEquals(1 << 20, l.maxBodyBytes());
    assertEquals(Duration.ofSeconds(3), l.writeTimeout());
    assertEquals(Duration.ofMillis(500), l.idleTimeout());
    assertEquals(HttpLimits.DEFAULT.headTimeout(), l.headTimeout());
  }

  @Test
  void shouldFailNamingTheKeyWhenValueIsOutOfRange() {
    ConfigException e = assertThrows(ConfigException.class, () -> HttpLimits.fromConfig(Config.of(Json.parse(
        "{\"client\":{\"openai\":{\"maxInFlight\":0}}}"))));
    assertTrue(e.getMessage().contains("client.openai.maxInFlight"), e.getMessage());
    ConfigException budget = assertThrows(ConfigException.class, () -> HttpLimits.fromConfig(Config.of(Json.parse(
        "{\"client\":{\"openai\":{\"bodyBudgetBytes\":1024}}}"))));
    assertTrue(budget.getMessage().contains("client.openai.bodyBudgetBytes"), budget.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HttpLimits.DEFAULT.withTimeouts(Duration.ZERO, Duration.ZERO,
        Duration.ZERO, Duration.ZERO));
  }
}
