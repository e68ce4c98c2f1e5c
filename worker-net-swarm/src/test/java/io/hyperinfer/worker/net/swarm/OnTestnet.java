package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.hyperdht.Testnet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A loopback testnet of four for the test class, and {@link #peers} started per test and stopped after it. */
abstract class OnTestnet {
  static Testnet net;
  SwarmPeers peers;

  @BeforeAll
  static void startTestnet() {
    net = Testnet.create(4);
  }

  @AfterAll
  static void closeTestnet() {
    if (net != null) {
      net.close();
    }
  }

  @BeforeEach
  void startPeers() {
    peers = new SwarmPeers(net);
  }

  @AfterEach
  void stopPeers() {
    peers.close();
  }
}
