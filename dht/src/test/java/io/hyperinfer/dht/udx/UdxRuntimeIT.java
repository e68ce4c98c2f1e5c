package io.hyperinfer.dht.udx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.dht.Commit;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.NodeListener;
import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.dht.QueryRequest;
import io.hyperinfer.dht.QueryResult;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.dht.Response;
import io.hyperinfer.dht.wire.NodeId;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.udx.NetworkInterfaces;
import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Java nodes on real UDX sockets on 127.0.0.1: the runtime adapter, the testnet and the thread-safe facade. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UdxRuntimeIT {
  private UdxTestnet testnet;

  @BeforeAll
  void start() {
    testnet = UdxTestnet.create(8);
  }

  @AfterAll
  void stop() {
    testnet.close();
  }

  @Test
  void shouldBootstrapPersistentNodesWithIdsOfTheirLoopbackAddresses() {
    for (DhtNode n : testnet.nodes()) {
      assertFalse(n.ephemeral(), n.toString());
      assertArrayEquals(NodeId.of(n.localAddress()), n.id());
      assertEquals("127.0.0.1", n.localAddress().host());
      assertEquals(n.localAddress(), n.remoteAddress());
      assertTrue(n.tableSize() >= 6, n + " knows " + n.tableSize());
    }
  }

  @Test
  void shouldPingFromAnyThreadAndSeeTheSenderAddress() throws Exception {
    DhtNode a = testnet.nodes().get(1);
    DhtNode b = testnet.nodes().get(2);
    Response r = a.ping(b.localAddress()).get(10, TimeUnit.SECONDS);
    assertEquals(a.localAddress(), r.to(), "persistent: requests leave the server socket");
    assertArrayEquals(b.id(), r.from().id());
  }

  @Test
  void shouldServeAndCommitACustomCommandOverUdx() throws Exception {
    AtomicInteger commits = new AtomicInteger();
    for (DhtNode n : testnet.nodes()) {
      n.onRequest(req -> {
        if (req.command() != 99) {
          return false;
        }
        if (req.token() != null) {
          commits.incrementAndGet();
        }
        req.reply(new byte[] {42});
        return true;
      });
    }
    DhtNode client = testnet.add(o -> o.withMode(NodeOptions.Mode.EPHEMERAL));
    QueryResult<Response> r = client.query(new QueryRequest(new byte[32], 99, null),
        QueryOptions.DEFAULT.withCommit(Commit.AUTO)).finished().get(30, TimeUnit.SECONDS);
    assertEquals(8, r.closestReplies().size());
    assertEquals(8, commits.get());
    assertEquals(client.socket(), client.firewalled() ? client.clientSocket() : client.serverSocket());
    assertTrue(client.nodes(100).size() >= 8);
    assertEquals(8, client.closestNodes(new byte[32], 20).size());
  }

  @Test
  void shouldAnswerOnTheClientSocketThroughTheServerLoop() throws Exception {
    DhtNode firewalled = testnet.add(o -> o.withMode(NodeOptions.Mode.EPHEMERAL).withQuickFirewall(false));
    assertTrue(firewalled.firewalled());
    Response r = firewalled.ping(testnet.bootstrapper().localAddress()).get(10, TimeUnit.SECONDS);
    assertEquals(firewalled.clientSocket().localAddress(), r.to());
    UdxRuntime rt = (UdxRuntime) firewalled.runtime();
    assertSame(firewalled.clientSocket(), rt.dhtSocket(rt.udxClientSocket()));
    assertSame(firewalled.serverSocket(), rt.dhtSocket(rt.udxServerSocket()));
    assertNull(rt.dhtSocket(null));
    assertNotEquals(rt.udxServerSocket(), rt.udxClientSocket());
    assertInstanceOf(Udx.class, rt.udx());
  }

  @Test
  void shouldTryTheNextPortsThenAnyPortUnlessToldNotTo() {
    Udx udx = Udx.create();
    try (UdxRuntime first = UdxRuntime.bind(udx, "127.0.0.1", 0, true)) {
      int taken = first.serverSocket().localAddress().port();
      try (UdxRuntime next = UdxRuntime.bind(udx, "127.0.0.1", taken, true)) {
        assertNotEquals(taken, next.serverSocket().localAddress().port());
      }
      DhtException e = assertThrows(DhtException.class, () -> UdxRuntime.bind(udx, "127.0.0.1", taken, false));
      assertEquals(DhtException.Code.BIND_FAILED, e.code());
    } finally {
      udx.close();
    }
    assertEquals(DhtException.Code.BAD_ARGUMENT,
        assertThrows(DhtException.class, () -> UdxRuntime.bind("::1", 0)).code());
    assertEquals(DhtException.Code.BAD_ARGUMENT,
        assertThrows(DhtException.class, () -> UdxRuntime.bind("localhost", 0)).code());
  }

  @Test
  void shouldBindAnyPortWhenTheWholeRangeIsTaken() {
    Udx udx = Udx.create();
    try {
      List<UdxSocket> taken = takeConsecutivePorts(udx, UdxRuntime.PORT_RANGE);
      int first = taken.get(0).localAddress().getPort();
      try (UdxRuntime rt = UdxRuntime.bind(udx, "127.0.0.1", first, true)) {
        int port = rt.serverSocket().localAddress().port();
        assertTrue(port < first || port >= first + UdxRuntime.PORT_RANGE, "bound " + port + " inside the taken range");
      }
    } finally {
      udx.close();
    }
  }

  /** {@code count} sockets on consecutive loopback ports (retrying where another process holds one). */
  private static List<UdxSocket> takeConsecutivePorts(Udx udx, int count) {
    for (int attempt = 0; attempt < 50; attempt++) {
      List<UdxSocket> sockets = new java.util.ArrayList<>(List.of(udx.createSocket().bind()));
      int base = sockets.get(0).localAddress().getPort();
      try {
        for (int p = base + 1; p < base + count && p <= 0xffff; p++) {
          sockets.add(udx.createSocket().bind(new InetSocketAddress("127.0.0.1", p)));
        }
        if (sockets.size() == count) {
          return sockets;
        }
      } catch (io.hyperinfer.udx.UdxException busy) {
        // a neighbouring port is in use: start again elsewhere
      }
      sockets.forEach(UdxSocket::close);
    }
    throw new AssertionError("no " + count + " consecutive free ports on 127.0.0.1");
  }

  @Test
  void shouldFailWithBindFailedAndLeaveNothingRunningWhenTestnetHostIsNotOurs() {
    DhtException e = assertThrows(DhtException.class, () -> UdxTestnet.create(3, "192.0.2.1"));
    assertEquals(DhtException.Code.BIND_FAILED, e.code());
  }

  @Test
  void shouldIgnoreTimersScheduledAfterClose() {
    UdxRuntime rt = UdxRuntime.bind("127.0.0.1", 0);
    rt.close();
    rt.schedule(1, () -> {
      throw new AssertionError("a closed runtime ran a timer");
    });
  }

  @Test
  void shouldDropUnsendableDatagramsAndSurviveStrayPackets() throws Exception {
    DhtNode n = testnet.nodes().get(3);
    UdxRuntime rt = (UdxRuntime) n.runtime();
    long before = rt.dropped();
    n.serverSocket().send(new byte[] {1, 2}, new HostPort("256.1.1.1", 5));
    assertEquals(before + 1, rt.dropped());
    long malformed = n.stats().malformed();
    try (Udx udx = Udx.create()) {
      UdxSocket stray = udx.createSocket().bind();
      stray.send(new byte[] {3, 4, 5}, new InetSocketAddress("127.0.0.1", n.localAddress().port()));
      stray.send(new byte[] {7}, new InetSocketAddress("127.0.0.1", n.localAddress().port()));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> n.stats().malformed() == malformed + 2);
    }
    assertEquals(n.localAddress(), n.ping(n.localAddress()).get(5, TimeUnit.SECONDS).from().address(),
        "still answering");
    assertTrue(rt.toString().startsWith("UdxRuntime[HostPort[host=127.0.0.1"));
    assertTrue(n.serverSocket().toString().startsWith("udx:"));
  }

  @Test
  void shouldFailCallsAfterCloseAndCloseTwice() throws Exception {
    DhtNode n = testnet.add(o -> o);
    n.close();
    assertTrue(n.destroyed());
    n.close();
    CompletionException e = assertThrows(CompletionException.class,
        () -> n.ping(testnet.bootstrapper().localAddress(), RequestOptions.DEFAULT).join());
    assertEquals(DhtException.Code.NODE_DESTROYED, ((DhtException) e.getCause()).code());
    assertEquals(List.of(), n.nodes(10));
    assertEquals(0, n.tableSize());
  }

  @Test
  void shouldTellListenersOfANetworkChangeWhenTheWatchedInterfacesChange() {
    NetworkInterfaces.Address lo = new NetworkInterfaces.Address("lo", "127.0.0.1", 4, true);
    AtomicReference<List<NetworkInterfaces.Address>> now = new AtomicReference<>(List.of(lo));
    UdxRuntime runtime = UdxRuntime.bind("127.0.0.1", 0).watchInterfaces(now::get, Duration.ofMillis(5));
    List<String> events = new CopyOnWriteArrayList<>();
    DhtNode node = DhtNode.create(runtime, NodeOptions.DEFAULT.withBootstrap(testnet.bootstrap()));
    try {
      node.addListener(new NodeListener() {
        @Override
        public void onNetworkChange() {
          events.add("change");
        }

        @Override
        public void onNetworkUpdate(boolean online, boolean degraded) {
          events.add("update online=" + online);
        }
      });
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> runtime.networkInterfaces().size() == 1);
      assertTrue(events.isEmpty(), "the first read is only the baseline");

      now.set(List.of(lo, new NetworkInterfaces.Address("wg0", "10.66.0.2", 4, false)));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
      assertEquals(List.of("change", "update online=true"), events, "as dht-rpc: network-change, then network-update");
      assertEquals(2, runtime.networkInterfaces().size());

      node.networkChanged(); // a caller that learnt of a change another way
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 4);
    } finally {
      node.close();
    }
    node.networkChanged();
    runtime.watchNetwork(() -> events.add("late"));
    assertEquals(4, events.size(), "a destroyed node and a closed runtime report nothing");
  }
}
