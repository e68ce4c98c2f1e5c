package io.hyperinfer.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Names and records the per-method RPC and per-operation facility meters, so every facility counts the same way:
 * {@code hyperinfer.rpc.server} / {@code hyperinfer.rpc.client} timers and {@code hyperinfer.facility.ops} timers,
 * tagged with method (or operation) and outcome (ok or the error code). Thread-safe.
 */
public final class RpcMetrics {
  public static final String SERVER = "hyperinfer.rpc.server";
  public static final String CLIENT = "hyperinfer.rpc.client";
  public static final String FACILITY = "hyperinfer.facility.ops";
  public static final String DROPPED = "hyperinfer.net.dropped";

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
    Timer.builder(FACILITY).tag("facility", facility).tag("op", operation).register(registry).record(took);
  }

  public void dropped(String method) {
    Counter.builder(DROPPED).tag("method", method).register(registry).increment();
  }

  private Timer timer(String name, String key, String value, String outcome) {
    return Timer.builder(name).tag(key, value).tag("outcome", outcome).register(registry);
  }
}
