package io.hyperinfer.worker.metrics;

import com.sun.net.httpserver.HttpServer;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.Facility;
import io.hyperinfer.worker.FacilityContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * Serves the Prometheus text format at {@code GET /metrics} on 127.0.0.1 only. Opt-in: enabled by
 * {@code metrics.prometheus.enabled=true}, port {@code metrics.prometheus.port} (default 0 = any free port).
 */
public final class PrometheusEndpoint implements Facility {
  private final PrometheusMeterRegistry registry;
  private final int port;
  private volatile HttpServer server;

  public PrometheusEndpoint(PrometheusMeterRegistry registry, int port) {
    this.registry = registry;
    this.port = port;
  }

  /** The endpoint the config asks for, if any; the registry must then be a Prometheus one. */
  public static Optional<PrometheusEndpoint> fromConfig(Config config, MeterRegistry registry) {
    if (!config.bool("metrics.prometheus.enabled", false)) {
      return Optional.empty();
    }
    int port = config.intValue("metrics.prometheus.port", 0);
    if (port < 0 || port > 65535) {
      throw ConfigException.invalid("metrics.prometheus.port", "port must be 0..65535");
    }
    if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
      throw ConfigException.invalid("metrics.prometheus.enabled", "the worker's meter registry is not Prometheus");
    }
    return Optional.of(new PrometheusEndpoint(prometheus, port));
  }

  @Override
  public String name() {
    return "prometheus";
  }

  @Override
  public int priority() {
    return PRIORITY_OBSERVER;
  }

  @Override
  public void start(FacilityContext context) throws IOException {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    HttpServer s = HttpServer.create(new InetSocketAddress(loopback, port), 0);
    s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    s.createContext("/metrics", exchange -> {
      try (exchange) {
        if (!"GET".equals(exchange.getRequestMethod())) {
          exchange.sendResponseHeaders(405, -1);
          return;
        }
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    s.start();
    server = s;
  }

  /** The bound port; valid after start. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void stop() {
    HttpServer s = server;
    if (s != null) {
      s.stop(0);
      server = null;
    }
  }
}
