package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.WorkerException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SwarmSettingsTest {
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);

  private static SwarmSettings read(boolean needsBootstrap, String... overrides) {
    return SwarmSettings.fromConfig(ConfigLoader.withOverrides(Config.empty(), List.of(overrides)), needsBootstrap);
  }

  private static ConfigException invalid(String... overrides) {
    return assertThrows(ConfigException.class, () -> read(false, overrides));
  }

  @Test
  void shouldUseDefaultsWhenSectionIsAbsent() {
    assertEquals(SwarmSettings.DEFAULT, read(false));
  }

  @Test
  void shouldReadEveryKeyWhenGiven() {
    SwarmSettings s = read(true, "facs.net.bootstrap=[\"127.0.0.1:49737\",\"10.0.0.2:1\"]", "facs.net.host=0.0.0.0",
        "facs.net.port=5000", "facs.net.mode=Persistent", "facs.net.connectTimeout=2s", "facs.net.poolLinger=0s",
        "facs.net.bootstrapTimeout=1m", "facs.net.idleTimeout=0s", "facs.net.handshakeTimeout=250ms",
        "facs.net.keepAlive=400ms");
    assertEquals(List.of(new HostPort("127.0.0.1", 49737), new HostPort("10.0.0.2", 1)), s.bootstrap());
    assertEquals("0.0.0.0", s.host());
    assertEquals(5000, s.port());
    assertEquals(NodeOptions.Mode.PERSISTENT, s.mode());
    assertEquals(Duration.ofSeconds(2), s.connectTimeout());
    assertEquals(Duration.ZERO, s.poolLinger());
    assertEquals(Duration.ofMinutes(1), s.bootstrapTimeout());
    assertEquals(Duration.ZERO, s.idleTimeout());
    assertEquals(Duration.ofMillis(250), s.handshakeTimeout());
    assertEquals(Duration.ofMillis(400), s.keepAlive());
    assertEquals(Duration.ofSeconds(1), read(false, "facs.net.keepAlive=500ms", "facs.net.idleTimeout=1s").idleTimeout());
    assertEquals(Duration.ofSeconds(30), read(false, "facs.net.idleTimeout=30s").idleTimeout());
    assertEquals(NodeOptions.Mode.EPHEMERAL, read(false, "facs.net.mode=ephemeral").mode());
    assertEquals(NodeOptions.Mode.ADAPTIVE, read(false, "facs.net.mode=adaptive").mode());
  }

  @Test
  void shouldSplitOneStringWhenBootstrapIsCommaSeparated() {
    assertEquals(List.of(new HostPort("127.0.0.1", 1), new HostPort("127.0.0.1", 2)),
        read(true, "facs.net.bootstrap=\"127.0.0.1:1, ,127.0.0.1:2\"").bootstrap());
  }

  @Test
  void shouldNameTheFixWhenBootstrapIsMissing() {
    ConfigException e = assertThrows(ConfigException.class, () -> read(true));
    assertEquals(WorkerException.Code.CONFIG_MISSING, e.code());
    assertTrue(e.getMessage().contains("facs.net.bootstrap"), e.getMessage());
    assertEquals(List.of(), read(false, "facs.net.bootstrap=null").bootstrap());
  }

  @Test
  void shouldRefuseWithTheKeyWhenAValueIsBad() {
    for (String bad : List.of("facs.net.bootstrap=42", "facs.net.bootstrap=[42]", "facs.net.bootstrap=[\"host\"]",
        "facs.net.bootstrap=[\"127.0.0.1:\"]", "facs.net.bootstrap=[\":1\"]", "facs.net.bootstrap=[\"127.0.0.1:x\"]",
        "facs.net.bootstrap=[\"127.0.0.1:0\"]", "facs.net.bootstrap=[\"127.0.0.1:65536\"]",
        "facs.net.bootstrap=[\"example.com:1\"]", "facs.net.bootstrap=[\"999.1.1.1:1\"]", "facs.net.host=localhost",
        "facs.net.host=::1", "facs.net.port=-1", "facs.net.port=65536", "facs.net.mode=server",
        "facs.net.connectTimeout=0s", "facs.net.bootstrapTimeout=-1s", "facs.net.poolLinger=-1s",
        "facs.net.idleTimeout=5s", "facs.net.idleTimeout=-1s", "facs.net.connections=mesh",
        "facs.net.handshakeTimeout=0s", "facs.net.keepAlive=0s", "facs.net.keepAlive=-1s")) {
      ConfigException e = invalid(bad);
      assertEquals(WorkerException.Code.CONFIG_INVALID, e.code(), bad);
      assertTrue(e.getMessage().contains("facs.net."), bad + ": " + e.getMessage());
    }
  }

  @Test
  void shouldRefuseNullsWhenBuiltDirectly() {
    assertThrows(ConfigException.class, () -> new SwarmSettings(List.of(), null, 0, NodeOptions.Mode.ADAPTIVE,
        Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, SwarmSettings.Connections.POOL, ONE_SECOND, ONE_SECOND));
    assertThrows(ConfigException.class, () -> new SwarmSettings(List.of(), "127.0.0.1", 0, null,
        Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, SwarmSettings.Connections.POOL, ONE_SECOND, ONE_SECOND));
    assertThrows(ConfigException.class, () -> new SwarmSettings(List.of(), "127.0.0.1", 0, NodeOptions.Mode.ADAPTIVE,
        null, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, SwarmSettings.Connections.POOL, ONE_SECOND, ONE_SECOND));
    assertThrows(ConfigException.class, () -> new SwarmSettings(List.of(), "127.0.0.1", 0, NodeOptions.Mode.ADAPTIVE,
        Duration.ofSeconds(1), null, Duration.ofSeconds(1), Duration.ZERO, SwarmSettings.Connections.POOL, ONE_SECOND, ONE_SECOND));
    assertThrows(ConfigException.class, () -> new SwarmSettings(List.of(), "127.0.0.1", 0, NodeOptions.Mode.ADAPTIVE,
        Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1), null, SwarmSettings.Connections.POOL, ONE_SECOND, ONE_SECOND));
    assertThrows(ConfigException.class, () -> new SwarmSettings(List.of(), "127.0.0.1", 0, NodeOptions.Mode.ADAPTIVE,
        Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, null, ONE_SECOND, ONE_SECOND));
    assertThrows(ConfigException.class, () -> new SwarmSettings(List.of(), "127.0.0.1", 0, NodeOptions.Mode.ADAPTIVE,
        Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, SwarmSettings.Connections.POOL,
        null, ONE_SECOND));
    assertThrows(ConfigException.class, () -> new SwarmSettings(List.of(), "127.0.0.1", 0, NodeOptions.Mode.ADAPTIVE,
        Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, SwarmSettings.Connections.POOL,
        ONE_SECOND, null));
  }

  @Test
  void shouldReadTheConnectionSourceWhenSet() {
    assertEquals(SwarmSettings.Connections.SWARM, read(false, "facs.net.connections=swarm").connections());
    assertEquals(SwarmSettings.Connections.POOL, read(false, "facs.net.connections=POOL").connections());
  }
}
