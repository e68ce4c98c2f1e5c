package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.WorkerException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Start and stop on the real stack: one-sentence failures an operator can fix, and a shared node left open. */
@Timeout(120)
class SwarmNetFacilityStartIT {
  private static Testnet net;

  @BeforeAll
  static void network() {
    net = Testnet.create(3);
  }

  @AfterAll
  static void closeNetwork() {
    if (net != null) {
      net.close();
    }
  }

  private static WorkerException startFails(String... overrides) {
    SwarmNetFacility f = new SwarmNetFacility();
    Config config = ConfigLoader.withOverrides(Config.empty(), List.of(overrides));
    WorkerException e = assertThrows(WorkerException.class,
        () -> f.start(SwarmPeers.context(Ed25519.generate(), config)));
    assertNull(f.dht(), "nothing is left running");
    return e;
  }

  @Test
  void shouldNameThePortWhenItIsTaken() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      WorkerException e = startFails(SwarmPeers.bootstrap(net), "facs.net.port=" + taken.getLocalPort());
      assertEquals(WorkerException.Code.PORT_UNAVAILABLE, e.code());
      assertTrue(e.getMessage().contains("UDP port " + taken.getLocalPort()), e.getMessage());
    }
  }

  @Test
  void shouldNameTheHostWhenItIsNotOurs() {
    WorkerException e = startFails(SwarmPeers.bootstrap(net), "facs.net.host=192.0.2.1");
    assertEquals(WorkerException.Code.PORT_UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("192.0.2.1"), e.getMessage());
  }

  @Test
  void shouldNameTheBootstrapWhenNoNodeAnswers() throws Exception {
    int silent;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      silent = probe.getLocalPort();
    }
    WorkerException e = startFails("facs.net.bootstrap=[\"127.0.0.1:" + silent + "\"]",
        "facs.net.bootstrapTimeout=500ms");
    assertEquals(WorkerException.Code.BOOTSTRAP_UNREACHABLE, e.code());
    assertTrue(e.getMessage().contains("127.0.0.1:" + silent), e.getMessage());
    assertTrue(e.code().isExpected());
  }

  @Test
  void shouldGiveUpTheBootstrapAndKeepTheInterruptWhenInterrupted() throws Exception {
    int silent;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      silent = probe.getLocalPort();
    }
    Thread.currentThread().interrupt();
    try {
      WorkerException e = startFails("facs.net.bootstrap=[\"127.0.0.1:" + silent + "\"]",
          "facs.net.bootstrapTimeout=60s");
      assertEquals(WorkerException.Code.BOOTSTRAP_UNREACHABLE, e.code());
      assertTrue(Thread.currentThread().isInterrupted(), "the caller's interrupt is kept");
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void shouldRefuseACallToItselfAsUnavailableWhenConnectionsAreSwarmed() throws Exception {
    KeyPair keys = Ed25519.generate();
    SwarmNetFacility f = new SwarmNetFacility();
    f.start(SwarmPeers.context(keys, ConfigLoader.withOverrides(Config.empty(),
        List.of(SwarmPeers.bootstrap(net), "facs.net.connections=swarm"))));
    try {
      f.respond("self", call -> TextNode.valueOf("answered"));
      java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
          () -> f.request(keys.publicKey(), "self", TextNode.valueOf("x")).get(10, TimeUnit.SECONDS));
      io.hyperinfer.worker.net.NetException net = assertInstanceOf(io.hyperinfer.worker.net.NetException.class,
          e.getCause());
      assertEquals(io.hyperinfer.worker.net.NetException.ERR_PEER_UNAVAILABLE, net.code());
      assertEquals("BAD_KEY", net.details().get("reason").asText());
    } finally {
      f.stop();
    }
  }

  @Test
  void shouldCloseItsNodeWhenTheMachineryRefusesItsSettings() {
    WorkerException e = startFails(SwarmPeers.bootstrap(net), "facs.net.topicAttempts=0");
    assertTrue(e.getMessage().contains("topicAttempts"), e.getMessage());
  }

  @Test
  void shouldLeaveSharedNodeOpenWhenStoppedAndServeAgainWhenRestarted() throws Exception {
    HyperDht shared = net.createNode();
    try {
      KeyPair keys = Ed25519.generate();
      SwarmNetFacility f = new SwarmNetFacility(shared);
      SwarmNetFacility client = new SwarmNetFacility(shared);
      client.start(SwarmPeers.context(Ed25519.generate(), Config.empty()));
      for (int round = 0; round < 2; round++) {
        f.start(SwarmPeers.context(keys, Config.empty()));
        assertSame(shared, f.dht());
        assertFalse(f.relayAddresses().isEmpty());
        f.respond("round", call -> TextNode.valueOf("r" + call.payload().asInt()));
        assertEquals(TextNode.valueOf("r" + round), client.request(keys.publicKey(), "round",
            com.fasterxml.jackson.databind.node.IntNode.valueOf(round)).get(10, TimeUnit.SECONDS));
        f.stop();
        assertNull(f.dht());
        assertEquals(List.of(), f.relayAddresses());
        shared.lookup(new byte[32]).finished().get(10, TimeUnit.SECONDS); // a shared node stays open and works
      }
      client.stop();
    } finally {
      shared.close();
    }
    assertThrows(IllegalArgumentException.class, () -> new SwarmNetFacility(null));
  }
}
