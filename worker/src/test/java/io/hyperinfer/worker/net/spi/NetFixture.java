package io.hyperinfer.worker.net.spi;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.NetException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Started net facilities on one network of type {@code N} on manual time, stopped together: the loopback network here,
 * the in-memory network in its own module (worker's test jar).
 */
public final class NetFixture<N> implements AutoCloseable {
  public final ManualClock clock = new ManualClock();
  public final ManualScheduler scheduler = new ManualScheduler(clock);
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  public final N network;
  private final Function<N, TransportNetFacility> facilities;
  private final List<TransportNetFacility> started = new ArrayList<>();
  private final long fixtureSeed;

  /** A network made by {@code network} on this fixture's scheduler; {@code facilities} makes a facility on it. */
  public NetFixture(long seed, Function<ManualScheduler, N> network, Function<N, TransportNetFacility> facilities) {
    this.fixtureSeed = seed;
    this.network = network.apply(scheduler);
    this.facilities = facilities;
  }

  /** On the loopback network. */
  static NetFixture<LoopbackNetwork> loopback(long seed) {
    return new NetFixture<>(seed, LoopbackNetwork::new, LoopbackNetwork::facility);
  }

  /** A peer with a key derived from the fixture seed and a counter, so runs repeat exactly. */
  public TransportNetFacility peer(String... overrides) {
    byte[] seed = new byte[32];
    ByteBuffer.wrap(seed).putLong(fixtureSeed).putInt(started.size() + 1);
    return peer(Ed25519.fromSeed(seed), overrides);
  }

  public TransportNetFacility peer(KeyPair keys, String... overrides) {
    TransportNetFacility f = facilities.apply(network);
    Config config = ConfigLoader.withOverrides(Config.empty(), List.of(overrides));
    f.start(new FacilityContext(new WorkerContext("test", "test", "p" + started.size()), config, clock, registry,
        () -> keys));
    started.add(f);
    return f;
  }

  public void advance(Duration d) {
    clock.advance(d);
    scheduler.runDue();
  }

  public static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not complete normally", e);
    }
  }

  /** The NetException a future failed with. */
  public static NetException failure(CompletableFuture<?> f) {
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
    for (TransportNetFacility f : started) {
      f.stop();
    }
  }

  /** Models a handler that never answers on its own: blocks until released by the test's end (5 s at most). */
  public static void hang() throws InterruptedException {
    new CountDownLatch(1).await(5, TimeUnit.SECONDS);
  }
}
