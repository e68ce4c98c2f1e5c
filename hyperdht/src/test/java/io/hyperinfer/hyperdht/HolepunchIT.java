package io.hyperinfer.hyperdht;

import static io.hyperinfer.hyperdht.ConnectIT.echoServer;
import static io.hyperinfer.hyperdht.ConnectIT.seed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.secretstream.SecretStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Java clients punching to Java servers on a Java testnet of 10 nodes on 127.0.0.1, with the LAN shortcut off on both
 * sides (the loopback punch of the notes' E4/E5): fast open, the consistent second round, vetoes, and no leaked pool
 * sockets.
 */
@Timeout(120)
class HolepunchIT {
  private static final ConnectOptions NO_LAN = ConnectOptions.DEFAULT.withLocalConnection(false);
  private static final ServerOptions NOT_SHARED = ServerOptions.DEFAULT.withShareLocalAddress(false);
  private static Testnet net;
  private static HyperDht serverNode;
  private static HyperDht clientNode;

  @BeforeAll
  static void network() {
    net = Testnet.create(10);
    // firewalled as JS nodes on loopback are (notes E1): the quick check would find them reachable here
    serverNode = net.createNode(o -> o.withNode(o.node().withQuickFirewall(false)));
    clientNode = net.createNode(o -> o.withNode(o.node().withQuickFirewall(false)));
    assertTrue(serverNode.node().remoteAddress() == null && clientNode.node().remoteAddress() == null);
  }

  @AfterAll
  static void close() {
    if (net != null) {
      net.close();
    }
  }

  private static ConnectTrace punchAndEcho(ConnectOptions options, ServerOptions serverOptions, int seed)
      throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(seed));
    List<Boolean> punched = new CopyOnWriteArrayList<>();
    try (HyperDhtServer server = serverNode.createServer(serverOptions, connection -> {
      punched.add(connection.punched());
      SecretStream s = connection.start();
      byte[] m;
      while ((m = s.read()) != null) {
        s.write(m);
      }
    })) {
      server.listen(keys).get(30, TimeUnit.SECONDS);
      AtomicReference<ConnectTrace> trace = new AtomicReference<>();
      SecretStream stream = clientNode.connect(keys.publicKey(), options.withTraceSink(trace::set), null)
          .get(30, TimeUnit.SECONDS);
      byte[] m = "punched".getBytes();
      stream.write(m);
      assertArrayEquals(m, stream.read());
      stream.destroy();
      assertEquals(List.of(trace.get().path() == ConnectTrace.Path.PUNCHED), punched,
          "the server's connection runs on a puncher socket exactly when the client's does");
      return trace.get();
    }
  }

  @Test
  void shouldPunchWithFastOpenWhenBothSidesAreFirewalledOnLoopback() throws Exception {
    PunchStats.Snapshot before = clientNode.punchStats();

    ConnectTrace trace = punchAndEcho(NO_LAN, NOT_SHARED, 41);

    assertEquals(ConnectTrace.Path.PUNCHED, trace.path(), trace.toString());
    assertEquals(before.punched() + 1, clientNode.punchStats().punched());
  }

  @Test
  void shouldPunchInTheSecondRoundWhenFastOpenIsOff() throws Exception {
    PunchStats.Snapshot client = clientNode.punchStats();
    PunchStats.Snapshot server = serverNode.punchStats();

    ConnectTrace trace = punchAndEcho(NO_LAN.withFastOpen(false), NOT_SHARED, 42);

    assertEquals(ConnectTrace.Path.PUNCHED, trace.path(), trace.toString());
    assertEquals(client.consistent() + 1, clientNode.punchStats().consistent(), trace.toString());
    assertEquals(server.consistent() + 1, serverNode.punchStats().consistent(), trace.toString());
  }

  @Test
  void shouldFailWithHolepunchAbortedAndLeakNoSocketWhenTheClientVetoes() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(43));
    try (HyperDhtServer server = echoServer(serverNode, NOT_SHARED, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);

      CompletionException e = assertThrows(CompletionException.class, () -> clientNode.connect(keys.publicKey(),
          NO_LAN.withFastOpen(false).withHolepunch(HolepunchVeto.NEVER), null).join());

      HyperDhtException cause = assertInstanceOf(HyperDhtException.class, e.getCause());
      assertEquals(HyperDhtException.Code.HOLEPUNCH_ABORTED, cause.code(), cause.trace().toString());
      assertNoOpenPoolSockets(clientNode);
      assertNoOpenPoolSockets(serverNode);
    }
  }

  @Test
  void shouldFailWithRemoteAbortedWhenTheServerVetoes() throws Exception {
    KeyPair keys = HyperDhtCrypto.keyPair(seed(44));
    ServerOptions vetoing = NOT_SHARED.withHolepunch((remote, local, remoteAddrs, localAddrs) -> false);
    try (HyperDhtServer server = echoServer(serverNode, vetoing, new CopyOnWriteArrayList<>())) {
      server.listen(keys).get(30, TimeUnit.SECONDS);

      CompletionException e = assertThrows(CompletionException.class, () -> clientNode.connect(keys.publicKey(),
          NO_LAN.withFastOpen(false), null).join());

      HyperDhtException cause = assertInstanceOf(HyperDhtException.class, e.getCause());
      assertEquals(HyperDhtException.Code.REMOTE_ABORTED, cause.code(), cause.trace().toString());
      assertNoOpenPoolSockets(clientNode);
      assertNoOpenPoolSockets(serverNode);
    }
  }

  private static void assertNoOpenPoolSockets(HyperDht node) {
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      PunchStats.Snapshot s = node.punchStats();
      assertEquals(s.socketsOpened(), s.socketsClosed(), "every pool socket closed: " + s);
    });
  }

  @Test
  void shouldConnectOnTheLanPathWhenBothShareLocalAddresses() throws Exception {
    ConnectTrace trace = punchAndEcho(ConnectOptions.DEFAULT, ServerOptions.DEFAULT, 45);

    assertTrue(trace.path() == ConnectTrace.Path.LAN || trace.path() == ConnectTrace.Path.PUNCHED, trace.toString());
  }
}
