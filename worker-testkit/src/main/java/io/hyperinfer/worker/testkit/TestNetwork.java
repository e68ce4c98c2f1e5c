package io.hyperinfer.worker.testkit;

import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.net.memory.MemoryNetFacility;
import io.hyperinfer.worker.net.memory.MemoryNetwork;
import io.hyperinfer.worker.net.spi.ManualScheduler;
import io.hyperinfer.worker.net.spi.Scheduler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The seed's mock DHT and mock RPC: a {@link MemoryNetwork} with the controls tests need. {@link #manual(long)} runs on
 * a {@link ManualClock}: nothing timed happens (timeouts, latency, re-announce, announcement expiry) until the test
 * calls {@link #advance(Duration)}. {@link #realTime(long)} uses the system clock for tests that await futures.
 */
public final class TestNetwork {
  private final MemoryNetwork network;
  private final ManualClock clock;
  private final ManualScheduler manual;

  private TestNetwork(MemoryNetwork network, ManualClock clock, ManualScheduler manual) {
    this.network = network;
    this.clock = clock;
    this.manual = manual;
  }

  /** A network on a manual clock, faults drawn from {@code seed}. */
  public static TestNetwork manual(long seed) {
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = new ManualScheduler(clock);
    return new TestNetwork(new MemoryNetwork(scheduler, seed), clock, scheduler);
  }

  /** A network on real time, faults drawn from {@code seed}. */
  public static TestNetwork realTime(long seed) {
    return new TestNetwork(new MemoryNetwork(Scheduler.system(), seed), null, null);
  }

  public MemoryNetwork network() {
    return network;
  }

  /** The clock workers on this network should use. */
  public Clock clock() {
    return clock != null ? clock : Clock.systemUTC();
  }

  /** The manual clock; only for {@link #manual(long)} networks. */
  public ManualClock manualClock() {
    requireManual();
    return clock;
  }

  /** Moves time forward and runs everything that became due (timeouts, delayed frames, re-announces). */
  public void advance(Duration by) {
    requireManual();
    clock.advance(by);
    manual.runDue();
  }

  /** Runs what is due now without moving time (delayed work scheduled with zero delay). */
  public int runDue() {
    requireManual();
    return manual.runDue();
  }

  /** A fresh net facility attached to this network when its worker starts. */
  public MemoryNetFacility facility() {
    return new MemoryNetFacility(network);
  }

  /** Facilities for one worker: a net facility here, the given storage, this network's clock, a Prometheus registry. */
  public Facilities facilities(RamStorage storage) {
    return new Facilities(facility(), storage.store(), clock(),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of());
  }

  /** Facilities with fresh RAM storage. */
  public Facilities facilities() {
    return facilities(new RamStorage());
  }

  public void setLatency(Duration min, Duration max) {
    network.setLatency(min, max);
  }

  public void setDropRate(double rate) {
    network.setDropRate(rate);
  }

  public void setFailureRate(double rate) {
    network.setFailureRate(rate);
  }

  public void failPeer(byte[] publicKey) {
    network.failPeer(publicKey);
  }

  public void recoverPeer(byte[] publicKey) {
    network.recoverPeer(publicKey);
  }

  private void requireManual() {
    if (clock == null) {
      throw new IllegalStateException("this TestNetwork runs on real time; use TestNetwork.manual(seed)");
    }
  }
}
