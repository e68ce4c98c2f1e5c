package io.hyperinfer.worker.net.memory;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.spi.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Started memory net facilities on one manual-time network, stopped together. */
final class NetFixture implements AutoCloseable {
  final ManualClock clock = new ManualClock();
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final MemoryNetwork network;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<MemoryNetFacility> started = new ArrayList<>();
  private final long fixtureSeed;

  NetFixture(long seed) {
    fixtureSeed = seed;
    network = new MemoryNetwork(scheduler, seed);
  }

  /** A peer with a key derived from the fixture seed and a counter, so runs repeat exactly. */
  MemoryNetFacility peer(String... overrides) {
    byte[] seed = new byte[32];
    ByteBuffer.wrap(seed).putLong(fixtureSeed).putInt(started.size() + 1);
    return peer(Ed25519.fromSeed(seed), overrides);
  }

  MemoryNetFacility peer(KeyPair keys, String... overrides) {
    MemoryNetFacility f = new MemoryNetFacility(network);
    Config config = ConfigLoader.withOverrides(Config.empty(), List.of(overrides));
    f.start(new FacilityContext(new WorkerContext("test", "test", "p" + started.size()), config, clock, registry,
        () -> keys));
    started.add(f);
    return f;
  }

  void advance(Duration d) {
    clock.advance(d);
    scheduler.runDue();
  }

  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not complete normally", e);
    }
  }

  /** The NetException a future failed with. */
  static NetException failure(CompletableFuture<?> f) {
    try {
      f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof NetException net) {
        return net;
      }
      throw new AssertionError("failed with a non-net error", e.getCause());
    } catch (Exception e) {
      throw new AssertionError("future did not fail in time", e);
    }
    throw new AssertionError("future succeeded, expected a net error");
  }

  @Override
  public void close() {
    for (MemoryNetFacility f : started) {
      f.stop();
    }
  }
}
