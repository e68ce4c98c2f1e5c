package io.hyperinfer.worker.net.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The network settings of a {@link SwarmNetFacility}, read once at start from the {@code facs.net} config section
 * (next to the machinery's {@link io.hyperinfer.worker.net.spi.NetSettings}). Addresses are IPv4 literals: no name is
 * ever resolved.
 *
 * @param bootstrap the DHT nodes to join through ({@code bootstrap}: an array of {@code "HOST:PORT"}, or one string of
 *     them separated by commas); required when the facility owns its node
 * @param host the address the node binds and is reached at ({@code host}, 127.0.0.1)
 * @param port the node's UDP port ({@code port}, 0 = any free one; a given port is taken exactly or start fails)
 * @param mode the DHT mode ({@code mode}: {@code adaptive} (default, a JS client node's), {@code ephemeral},
 *     {@code persistent})
 * @param connectTimeout the deadline of one connect, lookup to first byte ({@code connectTimeout}, 8s: under the
 *     default request timeout, so an announcer that is gone fails as unavailable and a topic request tries another)
 * @param poolLinger how long a connection we opened stays after its last call ({@code poolLinger}, 10s as
 *     @hyperswarm/rpc)
 * @param bootstrapTimeout the longest start waits for the node to bootstrap ({@code bootstrapTimeout}, 30s)
 * @param idleTimeout a connection on which nothing arrives for this long is closed ({@code idleTimeout}, 20s, 0 = off;
 *     else at least twice the keepalive): live peers send a keepalive every 5 s (ours and JS's), so only a dead or
 *     cut-off one stays silent, and its calls end then instead of whenever UDX's retransmissions give up
 * @param connections where calls travel ({@code connections}): {@link Connections#POOL} (a pool of connections per
 *     direction, @hyperswarm/rpc's way) or {@link Connections#SWARM} (one swarm connection per peer pair, both ways)
 * @param handshakeTimeout the wait of each send of a connect's handshake through a relay ({@code handshakeTimeout}, 1s
 *     as dht-rpc's, 4 sends per relay): a peer that refuses us, or is gone while its record lingers, stays silent, so
 *     that is what such a connect waits out before it fails as unavailable
 * @param keepAlive how long our side of a connection may stay silent before it sends an empty frame
 *     ({@code keepAlive}, 5s as JS's {@code connectionKeepAlive}): what keeps a live peer's connection from reaching
 *     its idle timeout
 */
public record SwarmSettings(List<HostPort> bootstrap, String host, int port, NodeOptions.Mode mode,
    Duration connectTimeout, Duration poolLinger, Duration bootstrapTimeout, Duration idleTimeout,
    Connections connections, Duration handshakeTimeout, Duration keepAlive) {
  /** Where a facility's calls travel. */
  public enum Connections {
    /** Each side's calls on connections it opened and pools ({@code poolLinger}), answers on those the peer opened. */
    POOL,
    /** One connection per peer pair, opened and kept up by a swarm, carrying calls both ways. */
    SWARM
  }

  /** The config section. */
  public static final String SECTION = "facs.net";
  /**
   * No bootstrap nodes, 127.0.0.1, any port, adaptive, 8s connects, 10s linger, 30s to bootstrap, 20s idle, swarm
   * connections, 1s per handshake send, 5s keepalive.
   */
  public static final SwarmSettings DEFAULT = new SwarmSettings(List.of(), "127.0.0.1", 0, NodeOptions.Mode.ADAPTIVE,
      Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(20), Connections.SWARM,
      Duration.ofSeconds(1), Duration.ofSeconds(5));

  public SwarmSettings {
    bootstrap = List.copyOf(bootstrap);
    host = ipv4(host, "host");
    if (port < 0 || port > 0xffff) {
      throw ConfigException.invalid(SECTION + ".port", "expected a port number from 0 to 65535 (0 = any free port)");
    }
    if (mode == null) {
      throw ConfigException.invalid(SECTION + ".mode", "expected adaptive, ephemeral or persistent");
    }
    positive("connectTimeout", connectTimeout);
    positive("bootstrapTimeout", bootstrapTimeout);
    if (handshakeTimeout == null || handshakeTimeout.toMillis() < 1) {
      throw ConfigException.invalid(SECTION + ".handshakeTimeout", "must be at least 1ms");
    }
    if (poolLinger == null || poolLinger.isNegative()) {
      throw ConfigException.invalid(SECTION + ".poolLinger", "must not be negative");
    }
    if (keepAlive == null || keepAlive.toMillis() < 1) {
      throw ConfigException.invalid(SECTION + ".keepAlive", "must be at least 1ms");
    }
    if (idleTimeout == null || idleTimeout.isNegative()
        || (idleTimeout.isPositive() && idleTimeout.compareTo(keepAlive.multipliedBy(2)) < 0)) {
      throw ConfigException.invalid(SECTION + ".idleTimeout", "must be 0 (off) or at least twice "
          + SECTION + ".keepAlive (" + keepAlive.toMillis() + "ms): live peers send a keepalive that often");
    }
    if (connections == null) {
      throw ConfigException.invalid(SECTION + ".connections", "expected swarm or pool");
    }
  }

  /** From a worker's config; {@code needsBootstrap} when the facility owns its node and must join a network. */
  public static SwarmSettings fromConfig(Config config, boolean needsBootstrap) {
    Config c = config.section(SECTION);
    List<HostPort> bootstrap = bootstrap(config.node(SECTION + ".bootstrap", false).orElse(null));
    if (needsBootstrap && bootstrap.isEmpty()) {
      throw ConfigException.missing(SECTION + ".bootstrap",
          "list the DHT bootstrap nodes to join, e.g. [\"127.0.0.1:49737\"]");
    }
    return new SwarmSettings(bootstrap, c.string("host", DEFAULT.host), c.intValue("port", DEFAULT.port),
        mode(c.string("mode", "adaptive")), c.duration("connectTimeout", DEFAULT.connectTimeout),
        c.duration("poolLinger", DEFAULT.poolLinger), c.duration("bootstrapTimeout", DEFAULT.bootstrapTimeout),
        c.duration("idleTimeout", DEFAULT.idleTimeout), connections(c.string("connections",
            DEFAULT.connections.name().toLowerCase(Locale.ROOT))),
        c.duration("handshakeTimeout", DEFAULT.handshakeTimeout), c.duration("keepAlive", DEFAULT.keepAlive));
  }

  /** {@code "HOST:PORT"} with an IPv4 literal host and a port from 1 to 65535. */
  public static HostPort hostPort(String text) {
    String key = SECTION + ".bootstrap";
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw ConfigException.invalid(key, "expected HOST:PORT, got '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw ConfigException.invalid(key, "expected HOST:PORT, got '" + text + "'");
    }
    if (port < 1 || port > 0xffff) {
      throw ConfigException.invalid(key, "port out of range in '" + text + "'");
    }
    return new HostPort(ipv4(text.substring(0, colon), "bootstrap"), port);
  }

  private static List<HostPort> bootstrap(JsonNode node) {
    List<HostPort> nodes = new ArrayList<>();
    if (node == null || node.isNull()) {
      return nodes;
    }
    if (node.isTextual()) {
      for (String part : node.asText().split(",")) {
        if (!part.isBlank()) {
          nodes.add(hostPort(part.strip()));
        }
      }
      return nodes;
    }
    if (!node.isArray()) {
      throw ConfigException.invalid(SECTION + ".bootstrap", "expected an array of \"HOST:PORT\" strings");
    }
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw ConfigException.invalid(SECTION + ".bootstrap", "expected an array of \"HOST:PORT\" strings");
      }
      nodes.add(hostPort(item.asText().strip()));
    }
    return nodes;
  }

  private static NodeOptions.Mode mode(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "adaptive" -> NodeOptions.Mode.ADAPTIVE;
      case "ephemeral" -> NodeOptions.Mode.EPHEMERAL;
      case "persistent" -> NodeOptions.Mode.PERSISTENT;
      default -> throw ConfigException.invalid(SECTION + ".mode",
          "expected adaptive, ephemeral or persistent, got '" + text + "'");
    };
  }

  private static Connections connections(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "swarm" -> Connections.SWARM;
      case "pool" -> Connections.POOL;
      default -> throw ConfigException.invalid(SECTION + ".connections", "expected swarm or pool, got '" + text + "'");
    };
  }

  private static String ipv4(String text, String key) {
    boolean literal = text != null && text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    if (literal) {
      try {
        if (InetAddress.ofLiteral(text) instanceof Inet4Address) {
          return text;
        }
      } catch (IllegalArgumentException e) {
        literal = false;
      }
    }
    throw ConfigException.invalid(SECTION + "." + key, "expected an IPv4 address such as 127.0.0.1, got '" + text
        + "' (no host names: nothing is resolved)");
  }

  private static void positive(String key, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw ConfigException.invalid(SECTION + "." + key, "must be positive");
    }
  }
}
