package io.hyperinfer.worker.ops;

import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A worker process's observability endpoint on 127.0.0.1 ({@link OpsSettings}): {@code GET /metrics} is the Prometheus
 * text of the worker's registry (JVM memory, GC, threads, CPU and uptime meters are bound to it while the endpoint
 * runs), {@code GET /healthz} the worker's {@link Health} (200 when ready, 503 while starting, stopping or after a
 * failed start). Thread-safe.
 */
public final class OpsEndpoint implements AutoCloseable {
  /** Prometheus text exposition format 0.0.4. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final OpsServer server;
  private final JvmGcMetrics gc;

  private OpsEndpoint(OpsServer server, JvmGcMetrics gc) {
    this.server = server;
    this.gc = gc;
  }

  /**
   * Binds the endpoint; {@code name} names its threads. The registry must be (or contain) a Prometheus registry, else
   * a {@link ConfigException} on {@code facs.ops.port}; a port in use fails with {@code PORT_UNAVAILABLE}.
   */
  public static OpsEndpoint start(OpsSettings settings, MeterRegistry registry, Supplier<Health> health,
      String name) {
    PrometheusMeterRegistry prometheus = prometheus(registry).orElseThrow(() -> ConfigException.invalid(
        OpsSettings.SECTION + ".port", "the worker's meter registry is not a Prometheus registry, so there is"
            + " nothing to serve at /metrics"));
    Map<String, Supplier<Response>> routes = Map.of(
        "/metrics", () -> new Response(200, PROMETHEUS_TEXT, prometheus.scrape().getBytes(StandardCharsets.UTF_8)),
        "/healthz", () -> {
          Health h = health.get();
          return new Response(h.ready() ? 200 : 503, Response.JSON, Json.toBytes(h.body()));
        });
    OpsServer server = OpsServer.start(settings, routes, name);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return new OpsEndpoint(server, gc);
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** Connections being served now. */
  public int activeConnections() {
    return server.active();
  }

  @Override
  public void close() {
    server.close();
    gc.close();
  }

  private static Optional<PrometheusMeterRegistry> prometheus(MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry p) {
      return Optional.of(p);
    }
    if (registry instanceof CompositeMeterRegistry composite) {
      for (MeterRegistry child : composite.getRegistries()) {
        Optional<PrometheusMeterRegistry> found = prometheus(child);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}
