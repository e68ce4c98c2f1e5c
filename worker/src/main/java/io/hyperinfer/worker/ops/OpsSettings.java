package io.hyperinfer.worker.ops;

import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import java.time.Duration;
import java.util.Optional;

/**
 * The ops endpoint's settings, from config section {@code facs.ops} (file {@code config/facs/ops.config.json}): off
 * unless {@code port} is set; {@code port} 0 takes any free port (the bound one is logged and put in the status file).
 * Immutable.
 *
 * @param port the port on 127.0.0.1, 0..65535
 * @param maxConnections connections served at once; more are answered 503 and closed
 * @param readTimeout the longest a client may take to send its request head
 * @param writeTimeout the longest a response may take to leave; a client that reads slower is cut off
 * @param maxHeadBytes the largest request head (request line and headers) read
 */
public record OpsSettings(int port, int maxConnections, Duration readTimeout, Duration writeTimeout, int maxHeadBytes) {
  /** The config section. */
  public static final String SECTION = "facs.ops";
  /** Keys of the Prometheus endpoint this one replaced; a config still setting them fails with the new key named. */
  static final String OLD_KEY = "metrics.prometheus";

  public OpsSettings {
    if (port < 0 || port > 65535) {
      throw ConfigException.invalid(SECTION + ".port", "expected a port number from 0 to 65535 (0 = any free port)");
    }
    if (maxConnections < 1 || maxConnections > 1024) {
      throw ConfigException.invalid(SECTION + ".maxConnections", "expected an integer from 1 to 1024");
    }
    if (maxHeadBytes < 256 || maxHeadBytes > 65536) {
      throw ConfigException.invalid(SECTION + ".maxHeadBytes", "expected an integer from 256 to 65536");
    }
    if (readTimeout.isZero() || writeTimeout.isZero()) {
      throw ConfigException.invalid(SECTION + (readTimeout.isZero() ? ".readTimeout" : ".writeTimeout"),
          "expected a duration above zero, such as \"5s\"");
    }
  }

  /** The settings when {@code facs.ops.port} is set, else empty (the endpoint is off). */
  public static Optional<OpsSettings> fromConfig(Config config) {
    if (config.has(OLD_KEY)) {
      throw ConfigException.invalid(OLD_KEY, "this section is gone: set facs.ops.port to serve /metrics and /healthz");
    }
    Config c = config.section(SECTION);
    if (!c.has("port")) {
      return Optional.empty();
    }
    return Optional.of(new OpsSettings(c.intValue("port"), c.intValue("maxConnections", 16),
        c.duration("readTimeout", Duration.ofSeconds(5)), c.duration("writeTimeout", Duration.ofSeconds(10)),
        c.intValue("maxHeadBytes", 8192)));
  }
}
