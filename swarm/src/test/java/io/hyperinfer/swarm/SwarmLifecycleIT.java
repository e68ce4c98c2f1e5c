package io.hyperinfer.swarm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.hyperdht.ConnectOptions;
import io.hyperinfer.hyperdht.ConnectionStats;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtServer;
import io.hyperinfer.hyperdht.ServerOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Topic status, suspend/resume, the network coming back and dials aborted in flight, on a loopback testnet. */
@Timeout(180)
class SwarmLifecycleIT extends LoopbackSwarmCase {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Long enough that only an abort, never the deadline, can end a dial a silent server never answers. */
  private static final SwarmOptions SLOW_DIALS = SwarmOptions.DEFAULT
      .withConnect(ConnectOptions.DEFAULT.withTimeout(Duration.ofSeconds(120)));

  /** A server on its own node that never answers a handshake, and counts them. */
  private HyperDhtServer silentServer(KeyPair keys, AtomicInteger handshakes) throws Exception {
    HyperDhtServer s = node().createServer(ServerOptions.DEFAULT.withFirewall((key, payload, from) -> {
      handshakes.incrementAndGet();
      return false;
    }), c -> c.start().destroy());
    closeLater(s);
    s.listen(keys).get(30, TimeUnit.SECONDS);
    return s;
  }

  @Test
  void shouldReportEachJoinedTopicWhenStatusIsAsked() {
    SwarmPeer a = peer(31, SwarmOptions.DEFAULT);
    byte[] both = topic("status-both");
    byte[] lookOnly = topic("status-client");
    a.swarm.join(both, true, true).flushed().join();
    JoinSession second = a.swarm.join(both, false, true);
    a.swarm.join(lookOnly, false, true).flushed().join();

    TopicStatus s = a.swarm.status(both).orElseThrow();
    assertArrayEquals(both, s.topic());
    assertTrue(s.server() && s.client());
    assertEquals(2, s.sessions());
    assertTrue(s.announced(), "announced once flushed");
    assertFalse(s.suspended() || s.destroyed());
    TopicStatus c = a.swarm.status(lookOnly).orElseThrow();
    assertFalse(c.server());
    assertFalse(c.announced());
    assertEquals(2, a.swarm.topics().size());

    second.destroy().join();
    assertEquals(1, a.swarm.status(both).orElseThrow().sessions());
    a.swarm.leave(lookOnly).join();
    assertTrue(a.swarm.status(lookOnly).isEmpty());
    assertEquals(List.of(Arrays.toString(both)), a.swarm.topics().stream().map(t -> Arrays.toString(t.topic()))
        .toList());
    assertThrows(SwarmException.class, () -> a.swarm.status(new byte[3]));
  }

  @Test
  void shouldDropConnectionsAndUnannounceWhenSuspendedAndReconnectWhenResumed() {
    SwarmPeer a = peer(41, SwarmOptions.DEFAULT);
    SwarmPeer b = peer(42, SwarmOptions.DEFAULT);
    byte[] t = topic("suspend");
    a.swarm.join(t, true, true).flushed().join();
    b.swarm.join(t, true, true).flushed().join();
    b.swarm.flush().join();
    await().atMost(WAIT).until(() -> a.to(b) != null && b.to(a) != null);
    String aKey = Arrays.toString(a.keys.publicKey());
    assertTrue(announced(b.swarm.dht(), t).contains(aKey));

    a.swarm.suspend().join();

    assertTrue(a.swarm.isSuspended());
    assertTrue(a.swarm.connections().isEmpty());
    await().atMost(WAIT).until(() -> b.to(a) == null);
    TopicStatus s = a.swarm.status(t).orElseThrow();
    assertTrue(s.suspended());
    assertFalse(s.announced());
    assertFalse(announced(b.swarm.dht(), t).contains(aKey), "the topic record is gone while suspended");
    assertTrue(a.swarm.listen().isCompletedExceptionally(), "no listening while suspended");
    a.swarm.suspend().join(); // a second suspend waits for the first and does nothing more
    byte[] later = topic("suspend-later");
    a.swarm.join(later, false, true);
    assertEquals(0, a.swarm.status(later).orElseThrow().refreshes(), "a topic joined while suspended waits");

    a.swarm.resume().join();
    assertEquals(1, a.swarm.status(later).orElseThrow().refreshes());

    assertFalse(a.swarm.isSuspended());
    await().atMost(WAIT).until(() -> a.to(b) != null && b.to(a) != null);
    assertEquals(!a.to(b).isInitiator(), b.to(a).isInitiator(), "both ends keep the same connection");
    await().atMost(WAIT).until(() -> announced(b.swarm.dht(), t).contains(aKey));
    assertEquals(0, a.swarm.loopErrors() + b.swarm.loopErrors());
  }

  @Test
  void shouldRefreshEveryTopicWhenTheNetworkComesBackOnlineUnlessSuspended() {
    SwarmPeer a = peer(51, SwarmOptions.DEFAULT);
    byte[] t = topic("network");
    a.swarm.join(t, false, true).flushed().join();
    networkUpdate(a.swarm, true);
    int before = a.swarm.status(t).orElseThrow().refreshes();

    networkUpdate(a.swarm, true); // still online: no rising edge
    assertEquals(before, a.swarm.status(t).orElseThrow().refreshes());
    networkUpdate(a.swarm, false);
    networkUpdate(a.swarm, true);
    assertEquals(before + 1, a.swarm.status(t).orElseThrow().refreshes());

    a.swarm.suspend().join();
    networkUpdate(a.swarm, false);
    networkUpdate(a.swarm, true);
    assertEquals(before + 1, a.swarm.status(t).orElseThrow().refreshes(), "a suspended swarm stays quiet");
    a.swarm.resume().join();
    assertEquals(before + 2, a.swarm.status(t).orElseThrow().refreshes(), "resuming refreshes once");
  }

  private static void networkUpdate(Swarm swarm, boolean online) {
    swarm.loop().call(() -> {
      swarm.networkUpdate(online);
      return null;
    }).join();
  }

  @Test
  void shouldAbortDialInFlightWhenPeerIsBannedOrLeft() throws Exception {
    SwarmPeer a = peer(61, SLOW_DIALS);
    HyperDht aNode = a.swarm.dht();
    ConnectionStats idle = aNode.connectionStats();
    KeyPair banned = SwarmPeer.keyPair(62);
    KeyPair left = SwarmPeer.keyPair(63);
    AtomicInteger handshakes = new AtomicInteger();
    silentServer(banned, handshakes);
    silentServer(left, handshakes);

    a.swarm.joinPeer(banned.publicKey());
    a.swarm.joinPeer(left.publicKey());
    await().atMost(WAIT).until(() -> handshakes.get() >= 2 && aNode.connectionStats().connectsInFlight() == 2);

    a.swarm.ban(banned.publicKey(), true);
    await().atMost(Duration.ofSeconds(10)).until(() -> aNode.connectionStats().connectsInFlight() == 1);
    a.swarm.leavePeer(left.publicKey());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      ConnectionStats now = aNode.connectionStats();
      assertEquals(0, now.connectsInFlight());
      assertEquals(idle.rawStreams(), now.rawStreams(), "the aborted dials' streams are gone");
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> a.swarm.stats().clientClosed() == 2);
    assertEquals(0, a.swarm.stats().clientOpened());
  }

  @Test
  void shouldAbortDialInFlightWhenSwarmCloses() throws Exception {
    SwarmPeer a = peer(71, SLOW_DIALS);
    HyperDht aNode = a.swarm.dht();
    KeyPair target = SwarmPeer.keyPair(72);
    AtomicInteger handshakes = new AtomicInteger();
    silentServer(target, handshakes);
    a.swarm.joinPeer(target.publicKey());
    await().atMost(WAIT).until(() -> handshakes.get() >= 1 && aNode.connectionStats().connectsInFlight() == 1);

    a.swarm.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> aNode.connectionStats().connectsInFlight() == 0);
    CompletionException e = assertThrows(CompletionException.class, () -> a.swarm.suspend().join());
    assertEquals(SwarmException.Code.DESTROYED, ((SwarmException) e.getCause()).code());
  }
}
