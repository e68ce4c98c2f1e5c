package io.hyperinfer.swarm;

import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtCrypto;
import io.hyperinfer.hyperdht.LookupResult;
import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.hyperdht.wire.Peer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Integration tests of Java swarms on one loopback testnet of five Java HyperDHT nodes per test class, each swarm on a
 * node of its own; what a test made is closed after it, newest first.
 */
abstract class LoopbackSwarmCase {
  static Testnet net;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void startTestnet() {
    net = Testnet.create(5);
  }

  @AfterAll
  static void stopTestnet() {
    net.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  HyperDht node() {
    return closeLater(net.createNode());
  }

  SwarmPeer peer(int seed) {
    return peer(seed, SwarmOptions.DEFAULT);
  }

  SwarmPeer peer(int seed, SwarmOptions options) {
    return closeLater(new SwarmPeer(node(), seed, options));
  }

  /** Closes {@code c} after the test (before everything made earlier). */
  <T extends AutoCloseable> T closeLater(T c) {
    open.add(c);
    return c;
  }

  /** The keys announced on {@code topic} ({@code Arrays.toString}), as a fresh lookup from {@code node} sees them. */
  static List<String> announced(HyperDht node, byte[] topic) {
    List<String> keys = new ArrayList<>();
    for (LookupResult r : node.lookup(topic).finished().join().replies()) {
      for (Peer p : r.peers()) {
        keys.add(Arrays.toString(p.publicKey()));
      }
    }
    return keys;
  }

  static byte[] topic(String name) {
    return HyperDhtCrypto.hash(name.getBytes(StandardCharsets.UTF_8));
  }
}
