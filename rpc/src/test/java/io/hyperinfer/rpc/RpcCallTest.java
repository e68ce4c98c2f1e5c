package io.hyperinfer.rpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.secretstream.InMemoryRawStream;
import io.hyperinfer.secretstream.SecretStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The blocking {@link RpcClient#call} and the {@link ResponseListener} requests, over in-memory secret streams. */
@Timeout(20)
class RpcCallTest {
  private final KeyPair serverKeys = Ed25519.fromSeed(new byte[32]);
  private final RpcServer server = new RpcServer().respond("echo", RpcRequest::value)
      .respondAsync("hang", r -> new CompletableFuture<>())
      .respond("fail", r -> {
        throw new IllegalStateException("no");
      });

  private RpcClient connect() {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    server.start(SecretStream.builder(raw[1], false).keyPair(serverKeys));
    return RpcClient.start(SecretStream.builder(raw[0], true), serverKeys.publicKey());
  }

  private static byte[] number(int n) {
    return ByteBuffer.allocate(4).putInt(n).array();
  }

  /** Records the outcome and the thread it arrived on. */
  private static final class Recording implements ResponseListener {
    final CompletableFuture<byte[]> outcome = new CompletableFuture<>();
    volatile Thread thread;

    @Override
    public void onResponse(byte[] value) {
      thread = Thread.currentThread();
      outcome.complete(value);
    }

    @Override
    public void onError(RpcException error) {
      thread = Thread.currentThread();
      outcome.completeExceptionally(error);
    }

    RpcException error() {
      ExecutionException e = assertThrows(ExecutionException.class, () -> outcome.get(10, TimeUnit.SECONDS));
      return (RpcException) e.getCause();
    }
  }

  @Test
  void shouldReturnResponseWhenCalledBeforeAndAfterHandshake() {
    RpcClient client = connect();
    assertArrayEquals(number(1), client.call("echo", number(1)));
    assertArrayEquals(number(2), client.call("echo", number(2), Duration.ofSeconds(5)));
    assertNull(client.call("echo", null));
  }

  @Test
  void shouldThrowRemoteErrorWhenCallFails() {
    RpcClient client = connect();
    assertEquals(RpcException.Code.UNKNOWN_METHOD, assertThrows(RpcException.class,
        () -> client.call("nope", null)).code());
    assertEquals(RpcException.Code.REQUEST_ERROR, assertThrows(RpcException.class,
        () -> client.call("fail", null)).code());
    assertEquals(RpcException.Code.TIMEOUT_EXCEEDED, assertThrows(RpcException.class,
        () -> client.call("hang", null, Duration.ofMillis(50))).code());
    assertArrayEquals(number(3), client.call("echo", number(3)));
  }

  @Test
  void shouldThrowChannelClosedWhenCallingClosedClient() {
    RpcClient client = connect();
    client.call("echo", null);
    client.close();
    assertEquals(RpcException.Code.CHANNEL_CLOSED, assertThrows(RpcException.class,
        () -> client.call("echo", null)).code());
    RpcClient never = connect();
    never.close();
    assertEquals(RpcException.Code.CHANNEL_CLOSED, assertThrows(RpcException.class,
        () -> never.call("echo", null)).code());
  }

  @Test
  void shouldFailPendingCallWhenServerCloses() throws Exception {
    RpcClient client = connect();
    client.call("echo", null);
    CompletableFuture<RpcException> thrown = CompletableFuture.supplyAsync(
        () -> assertThrows(RpcException.class, () -> client.call("hang", null)), r -> Thread.ofVirtual().start(r));
    RpcSession session = client.connection().session().get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> session.pendingRequests() == 1);
    server.close();
    assertEquals(RpcException.Code.CHANNEL_CLOSED, thrown.get(10, TimeUnit.SECONDS).code());
  }

  @Test
  void shouldRunListenerOnReaderAndChainRequestsWhenListenerSendsNext() throws Exception {
    RpcClient client = connect();
    CompletableFuture<List<Integer>> done = new CompletableFuture<>();
    List<Thread> threads = new ArrayList<>();
    client.request("echo", number(0), null, new ResponseListener() {
      private final List<Integer> seen = new ArrayList<>();

      @Override
      public void onResponse(byte[] value) {
        threads.add(Thread.currentThread());
        seen.add(ByteBuffer.wrap(value).getInt());
        if (seen.size() == 100) {
          done.complete(seen);
        } else {
          client.request("echo", number(seen.size()), null, this);
        }
      }

      @Override
      public void onError(RpcException error) {
        done.completeExceptionally(error);
      }
    });
    List<Integer> seen = done.get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 100; i++) {
      assertEquals(i, seen.get(i));
    }
    assertTrue(threads.stream().allMatch(t -> t.getName().equals("secretstream-reader")), threads.toString());
    assertTrue(threads.stream().noneMatch(Thread::isVirtual));
  }

  @Test
  void shouldReportErrorsToListenerWhenRequestFails() throws Exception {
    RpcClient client = connect();
    Recording unknown = new Recording();
    client.request("nope", null, null, unknown);
    assertEquals(RpcException.Code.UNKNOWN_METHOD, unknown.error().code());
    Recording timedOut = new Recording();
    client.request("hang", null, Duration.ofMillis(50), timedOut);
    assertEquals(RpcException.Code.TIMEOUT_EXCEEDED, timedOut.error().code());
    Recording pending = new Recording();
    client.request("hang", null, null, pending);
    client.close();
    assertEquals(RpcException.Code.CHANNEL_DESTROYED, pending.error().code());
    Recording late = new Recording();
    client.request("echo", null, null, late);
    assertEquals(RpcException.Code.CHANNEL_CLOSED, late.error().code());
  }

  @Test
  void shouldRefuseAtOnceWhenRequestExceedsOneFrame() {
    RpcClient client = connect();
    byte[] huge = new byte[RpcSession.MAX_ENCODED];
    assertEquals(RpcException.Code.ENCODE_ERROR, assertThrows(RpcException.class,
        () -> client.call("echo", huge)).code());
    Recording listener = new Recording();
    client.request("echo", huge, null, listener);
    assertTrue(listener.outcome.isCompletedExceptionally());
    assertEquals(Thread.currentThread(), listener.thread);
    assertEquals(RpcException.Code.ENCODE_ERROR, listener.error().code());
    assertArrayEquals(number(7), client.call("echo", number(7)));
  }

  @Test
  void shouldReportChannelClosedToListenerWhenConnectionNeverOpens() {
    RpcClient client = connect();
    client.close();
    Recording listener = new Recording();
    client.request("echo", null, null, listener);
    assertEquals(RpcException.Code.CHANNEL_CLOSED, listener.error().code());
  }

  @Test
  void shouldDestroyConnectionWhenListenerThrowsOnReader() throws Exception {
    RpcClient client = connect();
    client.call("echo", null);
    client.request("echo", null, null, new ResponseListener() {
      @Override
      public void onResponse(byte[] value) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void onError(RpcException error) {}
    });
    client.closed().get(10, TimeUnit.SECONDS);
    assertTrue(client.isClosed());
    assertEquals(RpcException.Code.CHANNEL_CLOSED, assertThrows(RpcException.class,
        () -> client.call("echo", null)).code());
  }
}
