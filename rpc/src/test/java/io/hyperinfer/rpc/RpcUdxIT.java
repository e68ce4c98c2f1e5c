package io.hyperinfer.rpc;

import static io.hyperinfer.rpc.RpcJsInteropIT.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.rpc.udx.UdxRendezvous;
import io.hyperinfer.secretstream.RawStream;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RPC over secret-stream over UDX, the HyperDHT connection stack without the DHT (streams paired by
 * {@link UdxRendezvous}): Java to Java and both ways with the pinned JS, where the reading side of every connection
 * runs on the UDX loop thread.
 */
@Timeout(120)
class RpcUdxIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path JS = ProjectPaths.root().resolve("rpc/src/test/js");
  private final Udx udx = Udx.create();

  @AfterEach
  void close() {
    udx.close();
  }

  /** A Java server on its own socket of {@link #udx}. */
  private InetSocketAddress serve(RpcServer server, KeyPair keys) {
    UdxSocket socket = udx.createSocket().bind();
    new UdxRendezvous(udx, socket).serve(stream ->
        server.start(SecretStream.builder(RawStream.of(stream), false).keyPair(keys)));
    return socket.localAddress();
  }

  private RpcClient connect(InetSocketAddress server, byte[] serverKey) throws Exception {
    UdxRendezvous rendezvous = new UdxRendezvous(udx, udx.createSocket().bind());
    return RpcClient.start(SecretStream.builder(RawStream.of(rendezvous.connect(server, WAIT)), true)
        .keyPair(Ed25519.generate()), serverKey);
  }

  @Test
  void shouldAnswerCallsOfEverySizeWhenJavaTalksToJava() throws Exception {
    KeyPair keys = Ed25519.fromSeed(new byte[32]);
    Set<Thread> handlerThreads = ConcurrentHashMap.newKeySet();
    RpcServer server = RpcJsInteropIT.javaServer(new AtomicInteger())
        .respond("where", r -> {
          handlerThreads.add(Thread.currentThread());
          return r.value();
        });
    InetSocketAddress address = serve(server, keys);
    try (RpcClient client = connect(address, keys.publicKey())) {
      for (int size : new int[] {1, 64, 1152, 65536, 1 << 20, 3 << 20}) {
        assertArrayEquals(pattern(size), client.call("echo", pattern(size), WAIT), "size " + size);
      }
      assertEquals(RpcException.Code.REQUEST_ERROR,
          assertThrows(RpcException.class, () -> client.call("fail", null, WAIT)).code());
      assertEquals(RpcException.Code.TIMEOUT_EXCEEDED,
          assertThrows(RpcException.class, () -> client.call("hang", null, Duration.ofMillis(100))).code());
      // blocking handlers run on virtual threads, never on the loop that delivered the request
      List<CompletableFuture<byte[]>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        byte[] value = {(byte) i};
        calls.add(CompletableFuture.supplyAsync(() -> client.call("where", value, WAIT),
            Thread::startVirtualThread));
      }
      for (int i = 0; i < calls.size(); i++) {
        assertArrayEquals(new byte[] {(byte) i}, calls.get(i).get(60, TimeUnit.SECONDS));
      }
      assertTrue(handlerThreads.stream().allMatch(Thread::isVirtual));
      List<CompletableFuture<byte[]>> pipelined = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        pipelined.add(client.request("echo", new byte[] {(byte) i, (byte) (i >> 8)}));
      }
      for (int i = 0; i < pipelined.size(); i++) {
        byte[] reply = pipelined.get(i).get(60, TimeUnit.SECONDS);
        assertEquals(i & 0xffff, (reply[0] & 0xff) | (reply[1] & 0xff) << 8);
      }
      assertEquals(1, server.connections().size());
    }
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> server.connections().isEmpty());
  }

  @Test
  void shouldCompleteListenerChainOnTheLoopThreadWhenRequestsFollowEachOther() throws Exception {
    KeyPair keys = Ed25519.fromSeed(new byte[32]);
    InetSocketAddress address = serve(RpcJsInteropIT.javaServer(new AtomicInteger()), keys);
    try (RpcClient client = connect(address, keys.publicKey())) {
      client.call("echo", new byte[1], WAIT);
      Thread caller = Thread.currentThread();
      CompletableFuture<Thread> responder = new CompletableFuture<>();
      client.request("echo", new byte[1], WAIT, new ResponseListener() {
        @Override
        public void onResponse(byte[] value) {
          responder.complete(Thread.currentThread());
        }

        @Override
        public void onError(RpcException error) {
          responder.completeExceptionally(error);
        }
      });
      Thread loop = responder.get(60, TimeUnit.SECONDS);
      assertNotSame(caller, loop);
      CompletableFuture<Thread> loopThread = new CompletableFuture<>();
      udx.loop().execute(() -> loopThread.complete(Thread.currentThread()));
      assertSame(loopThread.get(5, TimeUnit.SECONDS), loop);
    }
  }

  @Test
  void shouldServeJsClientOverUdxWhenJavaServerIsClosedByJava() throws Exception {
    KeyPair keys = Ed25519.fromSeed(new byte[32]);
    RpcServer server = RpcJsInteropIT.javaServer(new AtomicInteger());
    InetSocketAddress address = serve(server, keys);
    try (JsProcess js = JsPeers.start(JS.resolve("rpc-client.js"), String.valueOf(address.getPort()),
        HexFormat.of().formatHex(keys.publicKey()), "udx")) {
      RpcJsInteropIT.expectJsClientScenario(js);
      assertEquals(1, server.connections().size());
      server.close();
      js.awaitLine(l -> l.equals("CLOSED"), WAIT);
      RpcJsInteropIT.expect(js, "HANG CHANNEL_CLOSED");
    }
  }

  @Test
  void shouldCallJsServerOverUdxWhenJavaIsClient() throws Exception {
    try (JsProcess js = JsPeers.start(JS.resolve("rpc-server.js"), "01", "-", "udx")) {
      String[] listening = js.awaitLine(l -> l.startsWith("LISTENING "), WAIT).split(" ");
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(listening[1]));
      RpcClient client = connect(address, HexFormat.of().parseHex(listening[2]));
      for (int i = 0; i < 1000; i++) {
        assertArrayEquals(new byte[] {(byte) i}, client.call("echo", new byte[] {(byte) i}, WAIT));
      }
      RpcJsInteropIT.callJsServerScenario(client, js);
    }
  }
}
