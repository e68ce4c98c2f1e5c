package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.encoding.HostPort;
import java.util.List;

/**
 * How a {@link HyperDht} starts (JS {@code new DHT(opts)}). All {@code with…} methods return a copy.
 *
 * <p>Deliberate differences from JS: there is no default bootstrap list (JS joins the public DHT; a Java node joins
 * only what it is told), and the port defaults to 0 (any free port; JS tries {@value #JS_DEFAULT_PORT} first).
 *
 * @param node the dht-rpc options: bootstrap nodes, mode (ephemeral, persistent, adaptive), firewalled...
 * @param host the IPv4 address both sockets bind to (JS {@code host}, default {@code 0.0.0.0})
 * @param port the server socket's port, 0 for any (JS {@code port})
 * @param anyPort when {@code port} and the four after it are taken, bind any port (JS {@code anyPort}, default true)
 * @param keyPair the node's default key pair (JS {@code keyPair}); null: a fresh random one
 * @param caches sizes and lifetimes of the router and record tables (JS {@code maxSize}, {@code maxAge})
 */
public record HyperDhtOptions(NodeOptions node, String host, int port, boolean anyPort, KeyPair keyPair,
    CacheOptions caches) {
  /** The port a JS HyperDHT binds by default. */
  public static final int JS_DEFAULT_PORT = 49737;

  /** Adaptive mode, no bootstrap nodes, {@code 0.0.0.0} on any port, a random key pair, JS's cache sizes. */
  public static final HyperDhtOptions DEFAULT =
      new HyperDhtOptions(NodeOptions.DEFAULT, "0.0.0.0", 0, true, null, CacheOptions.defaults());

  /** Checks the port range and required parts. */
  public HyperDhtOptions {
    if (node == null || host == null || caches == null || port < 0 || port > 0xffff) {
      throw new IllegalArgumentException("node options, host and caches are required; port is 0..65535");
    }
  }

  public HyperDhtOptions withNode(NodeOptions n) {
    return new HyperDhtOptions(n, host, port, anyPort, keyPair, caches);
  }

  /** The nodes to join through (JS {@code bootstrap}). */
  public HyperDhtOptions withBootstrap(List<HostPort> nodes) {
    return withNode(node.withBootstrap(nodes));
  }

  /** Ephemeral, persistent or adaptive (JS {@code ephemeral: true | false | undefined}). */
  public HyperDhtOptions withMode(NodeOptions.Mode mode) {
    return withNode(node.withMode(mode));
  }

  public HyperDhtOptions withHost(String h) {
    return new HyperDhtOptions(node, h, port, anyPort, keyPair, caches);
  }

  public HyperDhtOptions withPort(int p) {
    return new HyperDhtOptions(node, host, p, anyPort, keyPair, caches);
  }

  public HyperDhtOptions withAnyPort(boolean on) {
    return new HyperDhtOptions(node, host, port, on, keyPair, caches);
  }

  public HyperDhtOptions withKeyPair(KeyPair k) {
    return new HyperDhtOptions(node, host, port, anyPort, k, caches);
  }

  public HyperDhtOptions withCaches(CacheOptions c) {
    return new HyperDhtOptions(node, host, port, anyPort, keyPair, c);
  }
}
