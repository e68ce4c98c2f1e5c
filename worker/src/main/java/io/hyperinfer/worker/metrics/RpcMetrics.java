package io.hyperinfer.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Names and records the per-method RPC and per-operation facility meters, so every facility counts the same way:
 * {@code hyperinfer.rpc.server} / {@code hyperinfer.rpc.client} timers and {@code hyperinfer.facility.ops} timers,
 * tagged with method (or operation) and outcome (ok or the error code). Timers publish the fixed
 * {@link #LATENCY_BUCKETS} as Prometheus histogram buckets, so dashboards can compute percentiles across processes
 * without a series per percentile. Thread-safe.
 */
public final class RpcMetrics {
  public static final String SERVER = "hyperinfer.rpc.server";
  public static final String CLIENT = "hyperinfer.rpc.client";
  public static final String FACILITY = "hyperinfer.facility.ops";
  public static final String DROPPED = "hyperinfer.net.dropped";

  /** Latency histogram bounds: 1 ms to 1 min, about three per decade. */
  public static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

  private final MeterRegistry registry;

  public RpcMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void server(String method, String outcome, Duration took) {
    timer(SERVER, "method", method, outcome).record(took);
  }

  public void client(String method, String outcome, Duration took) {
    timer(CLIENT, "method", method, outcome).record(took);
  }

  public void facility(String facility, String operation, Duration took) {
    Timer.builder(FACILITY).tag("facility", facility).tag("op", operation).serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry).record(took);
  }

  public void dropped(String method) {
    Counter.builder(DROPPED).tag("method", method).register(registry).increment();
  }

  private Timer timer(String name, String key, String value, String outcome) {
    return Timer.builder(name).tag(key, value).tag("outcome", outcome).serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }
}
