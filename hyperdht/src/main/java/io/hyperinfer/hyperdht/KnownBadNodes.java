package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.Peer;

/**
 * The public nodes JS hyperdht keeps out of its tables and queries ({@code index.js filterNode}): stray testnet nodes
 * mixed into the public DHT. Kept for parity; they never match on a private or loopback network. Thread-safe.
 */
final class KnownBadNodes {
  private KnownBadNodes() {}

  static boolean allowed(Peer node) {
    String host = node.host();
    int port = node.port();
    return !(port == 49738 && (host.equals("134.209.28.98") || host.equals("167.99.142.185")))
        && !(port == 9400 && host.equals("35.233.47.252"))
        && !host.equals("150.136.142.116");
  }
}
