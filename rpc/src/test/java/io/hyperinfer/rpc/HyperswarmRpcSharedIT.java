package io.hyperinfer.rpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.hyperdht.ConnectOptions;
import io.hyperinfer.hyperdht.HyperDhtCrypto;
import io.hyperinfer.hyperdht.HyperDhtServer;
import io.hyperinfer.hyperdht.ServerOptions;
import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.secretstream.SecretStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RPC over a HyperDHT connection opened outside the RPC (as a swarm opens them): both ends serve and call on the one
 * connection, whichever side dialed, and the connection listeners hear of it once on each side.
 */
@Timeout(120)
class HyperswarmRpcSharedIT {
  private static Testnet net;

  @BeforeAll
  static void network() {
    net = Testnet.create(3);
  }

  @AfterAll
  static void close() {
    if (net != null) {
      net.close();
    }
  }

  private static HyperswarmRpc rpc(int seed) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) seed);
    return new HyperswarmRpc(net.createNode(), HyperswarmRpcOptions.DEFAULT.withKeyPair(HyperDhtCrypto.keyPair(s)));
  }

  /** One HyperDHT connection from outside the RPC, shared by both ends: the listener's raw server, both clients. */
  private record Linked(HyperDhtServer raw, RpcClient out, RpcClient in) {}

  /** The dialer connects to the listener's raw HyperDHT server; each end shares the stream with its RPC server. */
  private static Linked link(HyperswarmRpc dialer, HyperswarmRpcServer atDialer, HyperswarmRpc listener,
      HyperswarmRpcServer atListener) throws Exception {
    CompletableFuture<RpcClient> accepted = new CompletableFuture<>();
    HyperDhtServer raw = listener.dht().createServer(ServerOptions.DEFAULT,
        c -> accepted.complete(atListener.share(c.start())));
    raw.listen(listener.keyPair()).get(30, TimeUnit.SECONDS);
    SecretStream stream = dialer.dht().connect(listener.keyPair().publicKey(),
        ConnectOptions.DEFAULT.withKeyPair(dialer.keyPair()), null).get(30, TimeUnit.SECONDS);
    RpcClient out = atDialer.share(stream);
    return new Linked(raw, out, accepted.get(30, TimeUnit.SECONDS));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldServeAndCallBothWaysOnOneConnectionWhenTheStreamComesFromOutside() throws Exception {
    HyperswarmRpc dialer = rpc(80);
    HyperswarmRpc listener = rpc(81);
    List<String> opened = new CopyOnWriteArrayList<>();
    for (HyperswarmRpc r : List.of(dialer, listener)) {
      r.addConnectionListener(new RpcConnectionListener() {
        @Override
        public void onOpen(byte[] remotePublicKey, RpcSession session, boolean inbound) {
          opened.add((r == dialer ? "dialer" : "listener") + (inbound ? " inbound" : " outbound"));
        }
      });
    }
    HyperswarmRpcServer atDialer = dialer.createServer().respond("who", r -> utf8("dialer"));
    HyperswarmRpcServer atListener = listener.createServer().respond("who", r -> utf8("listener"))
        .respond("callback", r -> r.session().call("who", null, Duration.ofSeconds(10)));
    Linked link = link(dialer, atDialer, listener, atListener);
    try {
      RpcClient out = link.out();
      RpcClient in = link.in();

      assertArrayEquals(utf8("listener"), out.call("who", null, Duration.ofSeconds(10)));
      assertArrayEquals(utf8("dialer"), in.call("who", null, Duration.ofSeconds(10)));
      assertArrayEquals(utf8("dialer"), out.call("callback", null, Duration.ofSeconds(10)),
          "a handler calls its caller back on the request's own channel");
      assertArrayEquals(listener.keyPair().publicKey(), out.serverPublicKey());
      assertArrayEquals(dialer.keyPair().publicKey(), in.serverPublicKey());
      assertEquals(1, atDialer.connections().size());
      assertEquals(1, atListener.connections().size());
      await().atMost(Duration.ofSeconds(10)).until(() -> opened.size() == 2);
      assertTrue(opened.containsAll(List.of("dialer outbound", "listener inbound")), opened.toString());

      in.close();
      out.closed().get(20, TimeUnit.SECONDS);
      assertEquals(RpcException.Code.CHANNEL_CLOSED,
          assertThrows(RpcException.class, () -> out.call("who", null, Duration.ofSeconds(5))).code());
      await().atMost(Duration.ofSeconds(10)).until(() -> atDialer.connections().isEmpty());
    } finally {
      link.raw().close();
      dialer.close();
      listener.close();
    }
  }

  @Test
  void shouldApplyTheCapabilityOnSharedConnectionsWhicheverSideDialed() throws Exception {
    byte[] capability = new byte[32];
    Arrays.fill(capability, (byte) 5);
    assertEquals(List.of("dialer", "listener"), sharedCalls(82, capability, capability));
    assertEquals(List.of("INVALID_CAPABILITY", "INVALID_CAPABILITY"), sharedCalls(84, capability, new byte[32]));
  }

  /**
   * Two Java ends sharing one HyperDHT connection, the listener requiring {@code listenerKey}, the dialer proving
   * {@code dialerKey}: the outcomes of the listener's call to the dialer and of the dialer's call to the listener.
   */
  private static List<String> sharedCalls(int seed, byte[] listenerKey, byte[] dialerKey) throws Exception {
    HyperswarmRpc dialer = rpc(seed);
    HyperswarmRpc listener = rpc(seed + 1);
    HyperswarmRpcServer atDialer = dialer.createServer(HyperswarmRpcServer.Options.DEFAULT.withCapability(dialerKey))
        .respond("who", r -> utf8("dialer"));
    HyperswarmRpcServer atListener = listener.createServer(
        HyperswarmRpcServer.Options.DEFAULT.withCapability(listenerKey)).respond("who", r -> utf8("listener"));
    Linked link = link(dialer, atDialer, listener, atListener);
    try {
      return List.of(outcome(link.in()), outcome(link.out()));
    } finally {
      link.raw().close();
      dialer.close();
      listener.close();
    }
  }

  /** The peer's answer to {@code who} once the channel opened, else the code its opening failed with. */
  private static String outcome(RpcClient client) throws Exception {
    try {
      client.connection().session().get(10, TimeUnit.SECONDS).opened().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return ((RpcException) e.getCause()).code().name();
    }
    return new String(client.call("who", null, Duration.ofSeconds(10)), StandardCharsets.UTF_8);
  }
}
