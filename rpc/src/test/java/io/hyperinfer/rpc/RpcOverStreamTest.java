package io.hyperinfer.rpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.secretstream.InMemoryRawStream;
import io.hyperinfer.secretstream.SecretStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RpcServer, RpcClient and RpcConnection over secret streams on in-memory raw streams. */
@Timeout(20)
class RpcOverStreamTest {
  private final KeyPair serverKeys = Ed25519.fromSeed(new byte[32]);
  private final RpcServer server = new RpcServer().respond("echo", RpcRequest::value)
      .respondAsync("hang", r -> new CompletableFuture<>());

  private RpcClient connect(RpcServer target, int capacity) {
    InMemoryRawStream[] raw = InMemoryRawStream.pair(capacity);
    target.start(SecretStream.builder(raw[1], false).keyPair(serverKeys));
    return RpcClient.start(SecretStream.builder(raw[0], true), serverKeys.publicKey());
  }

  private static RpcException failure(CompletableFuture<?> future) throws InterruptedException {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return (RpcException) e.getCause();
  }

  @Test
  void shouldEchoWhenBothSidesUseListeners() throws Exception {
    RpcClient client = connect(server, InMemoryRawStream.DEFAULT_CAPACITY);
    client.event("echo", null);
    byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(hi, client.request("echo", hi).get(10, TimeUnit.SECONDS));
    assertArrayEquals(hi, client.request("echo", hi, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS));
    client.event("echo", hi);
    assertArrayEquals(serverKeys.publicKey(), client.serverPublicKey());
    RpcConnection serverSide = server.connections().iterator().next();
    assertArrayEquals(client.connection().stream().publicKey(), serverSide.remotePublicKey());
    assertArrayEquals(serverKeys.publicKey(), client.connection().remotePublicKey());
    assertFalse(client.isClosed());
    client.end().get(10, TimeUnit.SECONDS);
    client.closed().get(10, TimeUnit.SECONDS);
    assertTrue(client.isClosed());
    await().atMost(Duration.ofSeconds(10)).until(() -> server.connections().isEmpty());
    assertTrue(serverSide.stream().closed().handle((v, t) -> true).get(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldEchoWhenStreamsAreAttached() throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    SecretStream serverStream = SecretStream.builder(raw[1], false).keyPair(serverKeys).start();
    SecretStream clientStream = SecretStream.builder(raw[0], true).start();
    server.accept(serverStream);
    RpcClient client = RpcClient.attach(clientStream, serverKeys.publicKey());
    byte[] big = new byte[300_000];
    big[299_999] = 9;
    assertArrayEquals(big, client.request("echo", big).get(10, TimeUnit.SECONDS));
    CompletableFuture<byte[]> hanging = client.request("hang", null);
    client.connection().session().get(10, TimeUnit.SECONDS);
    serverStream.destroy();
    assertEquals(RpcException.Code.CHANNEL_CLOSED, failure(hanging).code());
    client.closed().get(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldFlowControlWhenPayloadsExceedBuffers() throws Exception {
    RpcClient client = connect(server, 64 * 1024);
    byte[] payload = new byte[1 << 20];
    List<CompletableFuture<byte[]>> replies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      payload[0] = (byte) i;
      replies.add(client.request("echo", payload.clone()));
    }
    for (int i = 0; i < replies.size(); i++) {
      assertEquals(i, replies.get(i).get(15, TimeUnit.SECONDS)[0]);
    }
    client.close();
  }

  @Test
  void shouldFailPendingWhenServerCloses() throws Exception {
    RpcClient client = connect(server, InMemoryRawStream.DEFAULT_CAPACITY);
    CompletableFuture<byte[]> hanging = client.request("hang", null);
    client.connection().session().get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.connections().size() == 1);
    server.close();
    assertEquals(RpcException.Code.CHANNEL_CLOSED, failure(hanging).code());
    RpcClient late = connect(server, InMemoryRawStream.DEFAULT_CAPACITY);
    assertEquals(RpcException.Code.CHANNEL_CLOSED, failure(late.request("echo", null)).code());
    assertThrows(RpcException.class, () -> late.event("echo", null));
    assertTrue(late.isClosed());
  }

  @Test
  void shouldDestroyBeforeOpenWhenClosedEarly() throws Exception {
    RpcClient client = connect(server, InMemoryRawStream.DEFAULT_CAPACITY);
    client.close();
    assertEquals(RpcException.Code.CHANNEL_CLOSED, failure(client.request("echo", null)).code());
    client.closed().get(10, TimeUnit.SECONDS);
    new RpcConnection((c, h) -> null).destroy();
  }

  @Test
  void shouldCheckCapabilityWhenServerRequiresOne() throws Exception {
    byte[] key = new byte[32];
    key[0] = 1;
    RpcServer guarded = new RpcServer(key, new Capability()).respond("echo", RpcRequest::value);
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    guarded.start(SecretStream.builder(raw[1], false).keyPair(serverKeys));
    RpcClient good = RpcClient.start(SecretStream.builder(raw[0], true), serverKeys.publicKey(), key,
        new Capability());
    assertNull(good.request("echo", null).get(10, TimeUnit.SECONDS));
    InMemoryRawStream[] raw2 = InMemoryRawStream.pair();
    guarded.start(SecretStream.builder(raw2[1], false).keyPair(serverKeys));
    RpcClient bad = RpcClient.start(SecretStream.builder(raw2[0], true), serverKeys.publicKey(), new byte[32],
        new Capability());
    RpcException e = failure(bad.request("echo", null));
    assertTrue(e.code() == RpcException.Code.INVALID_CAPABILITY || e.code() == RpcException.Code.CHANNEL_CLOSED,
        e.toString());
  }

  @Test
  void shouldPoolOneClientPerKeyWhenRequesting() throws Exception {
    List<byte[]> connects = new ArrayList<>();
    try (RpcClientPool pool = countingPool(connects)) {
      byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
      // all three leave before any answer is awaited, so a scheduling pause cannot outlast the linger between them
      CompletableFuture<byte[]> first = pool.request(serverKeys.publicKey(), "echo", hi, null);
      pool.event(serverKeys.publicKey(), "echo", hi);
      CompletableFuture<byte[]> second = pool.request(serverKeys.publicKey(), "echo", hi, null);
      assertArrayEquals(hi, first.get(10, TimeUnit.SECONDS));
      assertArrayEquals(hi, second.get(10, TimeUnit.SECONDS));
      assertEquals(1, connects.size());
      await().atMost(Duration.ofSeconds(10)).until(() -> pool.size() == 0);
      assertArrayEquals(hi, pool.request(serverKeys.publicKey(), "echo", hi, null).get(10, TimeUnit.SECONDS));
      assertEquals(2, connects.size());
      assertEquals(1, pool.size());
    }
  }

  @Test
  void shouldAnswerListenerAndReleaseClientWhenRequestingThroughPool() throws Exception {
    List<byte[]> connects = new ArrayList<>();
    try (RpcClientPool pool = countingPool(connects)) {
      byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(hi, listen(pool, serverKeys.publicKey(), "echo", hi).get(10, TimeUnit.SECONDS));
      assertArrayEquals(hi, listen(pool, serverKeys.publicKey(), "echo", hi).get(10, TimeUnit.SECONDS));
      assertEquals(1, connects.size());
      // released after each answer: the linger then drops the idle client
      await().atMost(Duration.ofSeconds(10)).until(() -> pool.size() == 0);
      assertEquals(RpcException.Code.UNKNOWN_METHOD,
          failure(listen(pool, serverKeys.publicKey(), "nope", hi)).code());
    }
    RpcClientPool failing = new RpcClientPool(pk -> {
      throw new IllegalStateException("no route");
    });
    RpcException refused = failure(listen(failing, new byte[32], "x", null));
    assertEquals(RpcException.Code.CHANNEL_CLOSED, refused.code());
    assertTrue(refused.getCause() instanceof IllegalStateException, refused.toString());
  }

  @Test
  @Timeout(60)
  void shouldNotDeadlockWhenListenersReleaseWhileOthersAcquire() throws Exception {
    // the listener releases its client under the connection's lock while other callers acquire the same client
    try (RpcClientPool pool = new RpcClientPool(pk -> connect(server, InMemoryRawStream.DEFAULT_CAPACITY))) {
      byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
      List<CompletableFuture<byte[]>> all = new ArrayList<>();
      for (int i = 0; i < 4_000; i++) {
        all.add(listen(pool, serverKeys.publicKey(), "echo", hi));
      }
      for (CompletableFuture<byte[]> f : all) {
        assertArrayEquals(hi, f.get(30, TimeUnit.SECONDS));
      }
    }
  }

  /**
   * A pool to {@code server} that records every connect, with a 250 ms linger (a 50 ms one expired between two calls
   * under load).
   */
  private RpcClientPool countingPool(List<byte[]> connects) {
    return new RpcClientPool(pk -> {
      connects.add(pk);
      return connect(server, InMemoryRawStream.DEFAULT_CAPACITY);
    }, Duration.ofMillis(250));
  }

  private static CompletableFuture<byte[]> listen(RpcClientPool pool, byte[] key, String method, byte[] value) {
    CompletableFuture<byte[]> outcome = new CompletableFuture<>();
    pool.request(key, method, value, null, new ResponseListener() {
      @Override
      public void onResponse(byte[] response) {
        outcome.complete(response);
      }

      @Override
      public void onError(RpcException error) {
        outcome.completeExceptionally(error);
      }
    });
    return outcome;
  }

  @Test
  void shouldDropClosedClientWhenPeerCloses() throws Exception {
    try (RpcClientPool pool = new RpcClientPool(pk -> connect(server, InMemoryRawStream.DEFAULT_CAPACITY))) {
      assertNull(pool.request(serverKeys.publicKey(), "echo", null, null).get(10, TimeUnit.SECONDS));
      server.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> pool.size() == 0);
    }
    RpcClientPool failing = new RpcClientPool(pk -> {
      throw RpcException.channelClosed();
    });
    assertEquals(RpcException.Code.CHANNEL_CLOSED, failure(failing.request(new byte[32], "x", null, null)).code());
  }
}
