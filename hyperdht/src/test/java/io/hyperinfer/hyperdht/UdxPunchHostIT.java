package io.hyperinfer.hyperdht;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.dht.sim.SimNetwork;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The socket pool on real UDX sockets on 127.0.0.1: probes (low TTL included), pings for NAT samples, release. */
@Timeout(60)
class UdxPunchHostIT {
  private static Testnet net;
  private static HyperDht node;
  private static PunchStats stats;
  private static UdxPunchHost host;

  @BeforeAll
  static void network() {
    net = Testnet.create(4);
    node = net.createNode();
    stats = new PunchStats();
    host = new UdxPunchHost(node.node(), node.udx().orElseThrow(), new RandomPunches(1_000, Long.MIN_VALUE), stats);
  }

  @AfterAll
  static void close() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void shouldDeliverProbesWithLowAndDefaultTtlBetweenPoolSockets() {
    List<HostPort> received = new CopyOnWriteArrayList<>();
    PunchSocket a = host.acquire((s, from) -> { });
    PunchSocket b = host.acquire((s, from) -> received.add(from));
    try {
      a.probe(b.localAddress(), true); // TTL 5 crosses loopback
      a.probe(b.localAddress(), false);

      await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
      assertEquals(List.of(a.localAddress(), a.localAddress()), received);
      assertTrue(b.wraps(((UdxPunchHost.Pooled) b).udx()));
      assertFalse(b.wraps(((UdxPunchHost.Pooled) a).udx()));
    } finally {
      a.release();
      b.release();
    }
  }

  @Test
  void shouldSampleItsAddressWhenATableNodeAnswersAPingFromAPoolSocket() throws Exception {
    PunchSocket a = host.acquire((s, from) -> { });
    try {
      HostPort target = net.bootstrap().get(0);

      HostPort[] toFrom = host.ping(target, a).get(10, TimeUnit.SECONDS);

      assertEquals(a.localAddress(), toFrom[0], "the node saw the pool socket (no NAT on loopback)");
      assertEquals(target, toFrom[1]);
      assertFalse(host.tableNodes().isEmpty(), "the node's table has the testnet");
      assertTrue(host.firewalled() == node.node().firewalled());
      assertTrue(host.nowMs() >= 0);
      int port = host.random().nextInt(10);
      assertTrue(port >= 0 && port < 10);
    } finally {
      a.release();
    }
  }

  @Test
  void shouldCloseASocketOnceWhenReleasedAndIgnoreProbesAfter() {
    long closed = stats.snapshot().socketsClosed();
    PunchSocket a = host.acquire((s, from) -> { });
    UdxPunchHost.Pooled pooled = (UdxPunchHost.Pooled) a;

    a.release();
    a.release();
    a.probe(new HostPort("127.0.0.1", 9), false);

    assertEquals(closed + 1, stats.snapshot().socketsClosed());
    await().atMost(Duration.ofSeconds(5)).until(() -> pooled.udx().closed());
  }

  @Test
  void shouldLoseProbesAndDatagramsQuietlyWhenThePoolSocketClosedUnderIt() {
    long closed = stats.snapshot().socketsClosed();
    PunchSocket a = host.acquire((s, from) -> { });
    UdxPunchHost.Pooled pooled = (UdxPunchHost.Pooled) a;
    HostPort target = net.bootstrap().get(0);
    pooled.udx().close(); // its Udx shut down, or the stream connected through it closed it

    a.probe(target, true); // neither the low-TTL send nor the default one can leave: lost, as any datagram may be
    a.probe(target, false);
    a.dhtSocket().send(new byte[] {1, 2, 3}, target);

    assertEquals("extra:" + a.localAddress(), a.dhtSocket().toString());
    a.release();
    assertEquals(closed + 1, stats.snapshot().socketsClosed(), "released once, after all");
  }

  @Test
  void shouldFailTypedAndOpenNothingWhenThePoolCannotBindAtTheNodesHost() {
    // a node whose address is not this machine's (192.0.2.0/24 is for documentation only): no socket binds there
    DhtNode elsewhere = DhtNode.create(new SimNetwork(3).runtime("192.0.2.1", 49737), NodeOptions.DEFAULT);
    PunchStats counts = new PunchStats();
    Udx udx = Udx.create();
    try {
      UdxPunchHost pool = new UdxPunchHost(elsewhere, udx, new RandomPunches(1_000, Long.MIN_VALUE), counts);

      assertThrows(UdxException.class, () -> pool.acquire((s, from) -> { }));

      assertEquals(0, counts.snapshot().socketsOpened(), "no pool socket was counted open");
    } finally {
      udx.close();
      elsewhere.close();
    }
  }

  @Test
  void shouldEndItsPendingPingsWhenReleased() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      HostPort nobody = new HostPort("127.0.0.1", silent.getLocalPort());
      PunchSocket a = host.acquire((s, from) -> { });
      CompletableFuture<HostPort[]> unanswered = host.ping(nobody, a);

      a.release();

      // destroyed with the socket, not left to time out holding a slot of the node's congestion window
      ExecutionException e = assertThrows(ExecutionException.class, () -> unanswered.get(10, TimeUnit.SECONDS));
      assertEquals(DhtException.Code.REQUEST_DESTROYED, assertInstanceOf(DhtException.class, e.getCause()).code());
      ExecutionException after = assertThrows(ExecutionException.class,
          () -> host.ping(nobody, a).get(10, TimeUnit.SECONDS));
      assertEquals(HyperDhtException.Code.HOLEPUNCH_ABORTED,
          assertInstanceOf(HyperDhtException.class, after.getCause()).code());
    }
  }
}
