package io.hyperinfer.worker.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.Role;
import io.hyperinfer.network.Roster;
import io.hyperinfer.network.RosterCache;
import io.hyperinfer.network.SignedRoster;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.Facility;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.PeerPolicy;
import io.hyperinfer.worker.net.PeerRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Network membership from config and the roster file (no DHT): what is trusted, when, and bad config. */
class NetworkTrustTest {
  private static final String GATEWAY = "0a".repeat(32);
  @TempDir Path dir;
  private final NetworkKey operator = NetworkKey.generate();
  private final List<NetworkTrust> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(NetworkTrust::stop);
  }

  private NetworkTrust start(String... overrides) {
    Config config = ConfigLoader.withOverrides(Config.empty(), List.of(overrides));
    NetworkTrust trust = new NetworkTrust();
    started.add(trust);
    trust.start(new FacilityContext(new WorkerContext("test", "test", "1"), config, Clock.systemUTC(),
        new SimpleMeterRegistry(), () -> null));
    return trust;
  }

  private SignedRoster write(Path file, Roster roster) {
    SignedRoster signed = operator.sign(roster);
    new RosterCache(file).store(signed);
    return signed;
  }

  @Test
  void shouldTrustTheCachedRosterAndFollowTheFileWhenNoDhtIsConfigured() {
    Path file = dir.resolve("roster.bin");
    Roster v2 = Roster.empty(operator.hex()).admit(GATEWAY, Role.GATEWAY);
    write(file, v2);

    NetworkTrust trust = start("network.key=" + operator.hex(), "network.roster=" + file, "network.refresh=20ms");

    PeerRef gateway = PeerRef.ofHex(GATEWAY);
    assertTrue(trust.enforced());
    assertTrue(trust.admits(gateway, Role.GATEWAY));
    assertFalse(trust.admits(gateway, Role.AUTH));
    assertTrue(trust.holding(Role.GATEWAY).test(gateway));
    assertEquals("network", trust.name());
    assertTrue(trust.priority() > Facility.PRIORITY_NET && trust.priority() < Facility.PRIORITY_OBSERVER,
        "starts after the net facility whose node it fetches through, stops before it");

    write(file, v2.revoke(GATEWAY, null));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !trust.admits(gateway, Role.GATEWAY));
    assertEquals(3, trust.book().orElseThrow().seq());
    assertTrue(trust.refresher().orElseThrow().fetches() >= 2);
  }

  @Test
  void shouldTrustNobodyWhenNoRosterWasReceivedYet() {
    NetworkTrust trust = start("network.key=" + operator.hex(), "network.roster=" + dir.resolve("none.bin"));
    assertFalse(trust.admits(PeerRef.ofHex(GATEWAY), Role.GATEWAY));
    assertEquals(0, trust.book().orElseThrow().seq());
  }

  @Test
  void shouldRefuseToStartWhenConfigOrTheRosterFileCannotBeTrusted() {
    ConfigException key = assertThrows(ConfigException.class, () -> start("network.key=xyz",
        "network.roster=" + dir.resolve("r")));
    assertEquals("network.key", key.path());
    Path forged = dir.resolve("forged.bin");
    new RosterCache(forged).store(new SignedRoster(Roster.empty(operator.hex()), new byte[64]));
    ConfigException roster = assertThrows(ConfigException.class, () -> start("network.key=" + operator.hex(),
        "network.roster=" + forged));
    assertEquals("network.roster", roster.path());
  }

  @Test
  void shouldKeepTheAcceptedRosterWhenTheFileTurnsBadLater() throws Exception {
    Path file = dir.resolve("roster.bin");
    write(file, Roster.empty(operator.hex()).admit(GATEWAY, Role.GATEWAY).withSessionKey("0b".repeat(32)));
    NetworkTrust trust = start("network.key=" + operator.hex(), "network.roster=" + file, "network.refresh=20ms");
    assertEquals("0b".repeat(32), trust.sessionKey().orElseThrow());

    java.nio.file.Files.write(file, new byte[] {1, 2, 3});
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> trust.refresher().orElseThrow().failures() > 0);

    assertTrue(trust.admits(PeerRef.ofHex(GATEWAY), Role.GATEWAY), "a bad file never narrows or widens trust");
  }

  @Test
  void shouldFetchFromTheNetFacilitysSourceInsteadOfTheFileWhenItOffersOne() {
    Path file = dir.resolve("roster.bin");
    Roster v2 = Roster.empty(operator.hex()).admit(GATEWAY, Role.GATEWAY);
    write(file, v2);
    SignedRoster published = operator.sign(v2.revoke(GATEWAY, null));
    List<NetworkKey> asked = new ArrayList<>();
    List<Long> minSeqs = new ArrayList<>();
    NetworkTrust trust = new NetworkTrust(network -> {
      asked.add(network);
      return Optional.of(minSeq -> {
        synchronized (minSeqs) {
          minSeqs.add(minSeq);
        }
        return CompletableFuture.completedFuture(Optional.of(published));
      });
    });
    started.add(trust);
    trust.start(new FacilityContext(new WorkerContext("test", "test", "1"), ConfigLoader.withOverrides(Config.empty(),
        List.of("network.key=" + operator.hex(), "network.roster=" + file, "network.refresh=20ms")),
        Clock.systemUTC(), new SimpleMeterRegistry(), () -> null));

    assertEquals(List.of(operator.hex()), asked.stream().map(NetworkKey::hex).toList(), "asked once, for its network");
    assertFalse(trust.admits(PeerRef.ofHex(GATEWAY), Role.GATEWAY), "the source's newer roster replaced the file's");
    assertEquals(2L, minSeqs.getFirst(), "asks for rosters at least as new as the cached one");
    write(file, v2.revoke(GATEWAY, null).admit(GATEWAY, Role.GATEWAY));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> trust.refresher().orElseThrow().fetches() >= 3);
    assertFalse(trust.admits(PeerRef.ofHex(GATEWAY), Role.GATEWAY), "the file is not re-read when a source exists");
  }

  private NetworkTrust startWithSource(io.hyperinfer.network.RosterSource source, String... overrides) {
    NetworkTrust trust = new NetworkTrust(network -> Optional.of(source));
    started.add(trust);
    List<String> config = new ArrayList<>(List.of("network.key=" + operator.hex()));
    config.addAll(List.of(overrides));
    trust.start(new FacilityContext(new WorkerContext("test", "test", "1"), ConfigLoader.withOverrides(Config.empty(),
        config), Clock.systemUTC(), new SimpleMeterRegistry(), () -> null));
    return trust;
  }

  @Test
  void shouldHaveTheFirstFetchedRosterWhenStartReturnsWithNoCachedRoster() {
    SignedRoster published = operator.sign(Roster.empty(operator.hex()).admit(GATEWAY, Role.GATEWAY));
    // The DHT answers a little after the worker asked, as it does on the real net.
    NetworkTrust trust = startWithSource(minSeq -> CompletableFuture.supplyAsync(() -> Optional.of(published),
        CompletableFuture.delayedExecutor(50, java.util.concurrent.TimeUnit.MILLISECONDS)),
        "network.roster=" + dir.resolve("none.bin"));

    assertTrue(trust.admits(PeerRef.ofHex(GATEWAY), Role.GATEWAY), "the start waited for the first fetch");
  }

  @Test
  @org.junit.jupiter.api.Timeout(20)
  void shouldStartTrustingNobodyWhenTheFirstFetchOutlastsItsWaitAndTrustTheRosterWhenItLands() {
    CompletableFuture<Optional<SignedRoster>> slow = new CompletableFuture<>();
    NetworkTrust trust = startWithSource(minSeq -> slow, "network.roster=" + dir.resolve("none.bin"),
        "network.firstFetchWait=20ms");
    PeerRef gateway = PeerRef.ofHex(GATEWAY);
    assertFalse(trust.admits(gateway, Role.GATEWAY));

    slow.complete(Optional.of(operator.sign(Roster.empty(operator.hex()).admit(GATEWAY, Role.GATEWAY))));
    assertTrue(trust.admits(gateway, Role.GATEWAY), "a late first roster is taken when it lands");
  }

  @Test
  @org.junit.jupiter.api.Timeout(20)
  void shouldNotWaitForTheFirstFetchWhenARosterIsCachedOrTheWaitIsZero() {
    Path file = dir.resolve("roster.bin");
    write(file, Roster.empty(operator.hex()).admit(GATEWAY, Role.GATEWAY));
    CompletableFuture<Optional<SignedRoster>> never = new CompletableFuture<>();
    NetworkTrust cached = startWithSource(minSeq -> never, "network.roster=" + file, "network.firstFetchWait=1h");
    assertTrue(cached.admits(PeerRef.ofHex(GATEWAY), Role.GATEWAY), "the cached roster is trusted at once");

    NetworkTrust off = startWithSource(minSeq -> never, "network.roster=" + dir.resolve("none.bin"),
        "network.firstFetchWait=0s");
    assertFalse(off.admits(PeerRef.ofHex(GATEWAY), Role.GATEWAY));
  }

  @Test
  void shouldStartWhenTheFirstFetchFailsOrTheStartIsInterrupted() {
    NetworkTrust failing = startWithSource(minSeq -> CompletableFuture.failedFuture(new IllegalStateException("down")),
        "network.roster=" + dir.resolve("none.bin"));
    assertFalse(failing.admits(PeerRef.ofHex(GATEWAY), Role.GATEWAY));
    assertEquals(1, failing.refresher().orElseThrow().failures());

    Thread.currentThread().interrupt();
    try {
      NetworkTrust interrupted = startWithSource(minSeq -> new CompletableFuture<>(),
          "network.roster=" + dir.resolve("none2.bin"));
      assertFalse(interrupted.admits(PeerRef.ofHex(GATEWAY), Role.GATEWAY));
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the worker's start");
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void shouldStopCleanlyWhenNeverStarted() {
    NetworkTrust trust = new NetworkTrust();
    trust.stop();
    assertTrue(trust.book().isEmpty());
    assertFalse(trust.admits(PeerRef.ofHex(GATEWAY), Role.GATEWAY));
    assertFalse(NetworkTrust.configured(Config.empty()));
    assertFalse(PeerPolicy.OPEN.enforced());
    assertTrue(PeerPolicy.OPEN.sessionKey().isEmpty());
    assertTrue(PeerPolicy.OPEN.admits(PeerRef.ofHex(GATEWAY), Role.AUTH));
    assertEquals(HexFormat.of().formatHex(PeerRef.ofHex(GATEWAY).publicKey()), GATEWAY);
  }
}
