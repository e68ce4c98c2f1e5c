package io.hyperinfer.rpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.hyperdht.HyperDhtException;
import io.hyperinfer.hyperdht.Testnet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Java to Java @hyperswarm/rpc over HyperDHT on a loopback testnet: what a net facility builds on (the proven key in
 * handlers, events back to the caller, connection open and loss by remote key, the pool's linger, firewalls).
 */
@Timeout(120)
class HyperswarmRpcIT {
  private static Testnet net;

  @BeforeAll
  static void network() {
    net = Testnet.create(4);
  }

  @AfterAll
  static void close() {
    if (net != null) {
      net.close();
    }
  }

  private static HyperswarmRpc rpc(int seed, HyperswarmRpcOptions options) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) seed);
    return new HyperswarmRpc(net.createNode(), options.withKeyPair(io.hyperinfer.hyperdht.HyperDhtCrypto.keyPair(s)));
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void shouldTellListenersOfEachConnectionByKeyAndEndPooledOnesAfterTheLinger() throws Exception {
    HyperswarmRpc server = rpc(70, HyperswarmRpcOptions.DEFAULT);
    HyperswarmRpc client = rpc(71, HyperswarmRpcOptions.DEFAULT.withPoolLinger(Duration.ofMillis(300)));
    List<String> serverEvents = new CopyOnWriteArrayList<>();
    List<String> clientEvents = new CopyOnWriteArrayList<>();
    server.addConnectionListener(listener(serverEvents));
    client.addConnectionListener(listener(clientEvents));
    try (HyperswarmRpcServer s = server.createServer().respond("who", r -> r.session().remotePublicKey())) {
      s.listen().get(30, TimeUnit.SECONDS);

      byte[] who = client.call(server.keyPair().publicKey(), "who", null, Duration.ofSeconds(20));

      assertArrayEquals(client.keyPair().publicKey(), who, "the handler saw the key the client connects with");
      assertEquals(1, client.pooledClients());
      await().atMost(Duration.ofSeconds(10)).until(() -> client.pooledClients() == 0);
      await().atMost(Duration.ofSeconds(10)).until(() -> serverEvents.size() == 3 && clientEvents.size() == 3);
      String c = hex(client.keyPair().publicKey());
      String sk = hex(server.keyPair().publicKey());
      assertEquals(List.of("connected " + c + " true true", "open " + c + " true", "close " + c + " true"),
          serverEvents);
      assertEquals(List.of("connected " + sk + " false true", "open " + sk + " false", "close " + sk + " false"),
          clientEvents);
    } finally {
      client.close();
      server.close();
    }
  }

  private static RpcConnectionListener listener(List<String> events) {
    return new RpcConnectionListener() {
      @Override
      public void onConnected(RpcConnection connection, boolean inbound) {
        events.add("connected " + hex(connection.remotePublicKey()) + " " + inbound + " "
            + !connection.stream().isClosed());
      }

      @Override
      public void onOpen(byte[] remotePublicKey, RpcSession session, boolean inbound) {
        events.add("open " + hex(remotePublicKey) + " " + inbound);
      }

      @Override
      public void onClose(byte[] remotePublicKey, RpcSession session, boolean inbound) {
        events.add("close " + hex(remotePublicKey) + " " + inbound);
      }
    };
  }

  @Test
  void shouldDeliverEventsBothWaysOnOneConnection() throws Exception {
    HyperswarmRpc server = rpc(72, HyperswarmRpcOptions.DEFAULT);
    HyperswarmRpc client = rpc(73, HyperswarmRpcOptions.DEFAULT);
    List<String> atServer = new CopyOnWriteArrayList<>();
    List<String> atClient = new CopyOnWriteArrayList<>();
    client.clientResponders().respond("tick", r -> {
      atClient.add(new String(r.value(), StandardCharsets.UTF_8));
      return null;
    });
    try (HyperswarmRpcServer s = server.createServer().respond("log", r -> {
      atServer.add(new String(r.value(), StandardCharsets.UTF_8));
      r.session().event("tick", "back".getBytes(StandardCharsets.UTF_8));
      return null;
    })) {
      s.listen().get(30, TimeUnit.SECONDS);
      assertArrayEquals(server.keyPair().publicKey(), s.publicKey());
      assertEquals(3, s.relayAddresses().size());
      assertTrue(s.dhtServer().listening());
      s.respondAsync("fast", r -> java.util.concurrent.CompletableFuture.completedFuture(r.value()));
      assertArrayEquals(new byte[] {5}, client.call(server.keyPair().publicKey(), "fast", new byte[] {5},
          Duration.ofSeconds(20)));
      s.unrespond("fast");
      assertEquals(RpcException.Code.UNKNOWN_METHOD, assertThrows(RpcException.class,
          () -> client.call(server.keyPair().publicKey(), "fast", null, Duration.ofSeconds(20))).code());
      s.respondAny(r -> java.util.concurrent.CompletableFuture.completedFuture(
          r.method().getBytes(StandardCharsets.UTF_8)));
      assertArrayEquals("fast".getBytes(StandardCharsets.UTF_8), client.call(server.keyPair().publicKey(), "fast",
          null, Duration.ofSeconds(20)));
      s.respondAny(null);
      client.event(server.keyPair().publicKey(), "log", "hello".getBytes(StandardCharsets.UTF_8));
      await().atMost(Duration.ofSeconds(20)).until(() -> atServer.size() == 1 && atClient.size() == 1);
      assertEquals(List.of("hello"), atServer);
      assertEquals(List.of("back"), atClient);
      assertEquals(1, s.connections().size());
    } finally {
      client.close();
      server.close();
    }
  }

  @Test
  void shouldFailWithTheConnectCauseWhenTheFirewallRejectsOrNobodyListens() throws Exception {
    HyperswarmRpc server = rpc(74, HyperswarmRpcOptions.DEFAULT);
    HyperswarmRpc client = rpc(75, HyperswarmRpcOptions.DEFAULT.withConnect(
        io.hyperinfer.hyperdht.ConnectOptions.DEFAULT.withTimeout(Duration.ofSeconds(12))
            .withHandshakeTimeout(Duration.ofMillis(100)))); // the refusal is silent: 4 short sends per relay
    KeyPair clientKeys = client.keyPair();
    HyperswarmRpcServer.Options strict = HyperswarmRpcServer.Options.DEFAULT.withFirewall((key, payload, from) ->
        !Arrays.equals(key, clientKeys.publicKey()));
    try (HyperswarmRpcServer s = server.createServer(strict).respond("echo", RpcRequest::value)) {
      s.listen().get(30, TimeUnit.SECONDS);
      RpcException refused = assertThrows(RpcException.class,
          () -> client.call(server.keyPair().publicKey(), "echo", null, Duration.ofSeconds(30)));
      assertEquals(RpcException.Code.CHANNEL_CLOSED, refused.code());
      HyperDhtException cause = assertInstanceOf(HyperDhtException.class, refused.getCause());
      assertTrue(cause.code() == HyperDhtException.Code.PEER_CONNECTION_FAILED, cause.getMessage());
      // the pool drops the client when its close completes, which may come just after the call has failed
      await().atMost(Duration.ofSeconds(10)).until(() -> client.pooledClients() == 0);

      s.close();
      CompletionException failed = assertThrows(CompletionException.class,
          () -> client.request(server.keyPair().publicKey(), "echo", null).join());
      RpcException gone = assertInstanceOf(RpcException.class, failed.getCause());
      assertEquals(HyperDhtException.Code.PEER_NOT_FOUND,
          assertInstanceOf(HyperDhtException.class, gone.getCause()).code());
    } finally {
      client.close();
      server.close();
    }
  }
}
