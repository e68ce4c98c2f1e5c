package io.hyperinfer.worker.net.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.net.PeerRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Keeping a topic announced on a manual clock, through a discovery whose refreshes fail when the test says. */
class AnnouncerTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final FlakyDiscovery discovery = new FlakyDiscovery();
  private final Announcer announcer = new Announcer(discovery, scheduler, INTERVAL);

  @Test
  void shouldKeepReannouncingEveryIntervalWhenARefreshFails() {
    announcer.add("svc.infer").join();
    String key = HexFormat.of().formatHex(Topics.key("svc.infer"));

    discovery.failing = true;
    tick();
    discovery.failing = false;
    tick();

    assertEquals(List.of("announce " + key, "announce " + key + " (failed)", "announce " + key), discovery.calls,
        "the failed refresh is tried again at the next interval");
    assertEquals(Set.of("svc.infer"), announcer.topics());
    assertEquals(1, scheduler.pending(), "one refresh stays scheduled");
  }

  @Test
  void shouldStopReannouncingWhenTheTopicIsRemoved() {
    announcer.add("svc.auth").join();

    assertTrue(announcer.remove("svc.auth").join());
    tick();

    assertEquals(2, discovery.calls.size(), "announced once, withdrawn once, never refreshed: " + discovery.calls);
    assertTrue(discovery.calls.getLast().startsWith("unannounce "));
    assertEquals(0, scheduler.pending());
  }

  private void tick() {
    clock.advance(INTERVAL);
    scheduler.runDue();
  }

  /** Records each call; announcements fail while {@link #failing}. Confined to the test thread. */
  private static final class FlakyDiscovery implements Discovery {
    final List<String> calls = new ArrayList<>();
    boolean failing;

    @Override
    public void open(KeyPair identity) {}

    @Override
    public CompletableFuture<Void> announce(byte[] topicKey) {
      String key = HexFormat.of().formatHex(topicKey);
      if (failing) {
        calls.add("announce " + key + " (failed)");
        return CompletableFuture.failedFuture(new IllegalStateException("no DHT node answered"));
      }
      calls.add("announce " + key);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unannounce(byte[] topicKey) {
      calls.add("unannounce " + HexFormat.of().formatHex(topicKey));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<PeerRef>> lookup(byte[] topicKey) {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public void close() {}
  }
}
