package io.hyperinfer.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.secretstream.InMemoryRawStream;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Requests, responses and events larger than one secret-stream frame fail alone; the channel stays usable. */
@Timeout(30)
class RpcFrameLimitTest {
  private static final byte[] SERVER_KEY = new byte[32];
  /** The largest "echo" value whose request fits: id (1 byte), method (1 + 4), value length prefix (5). */
  static final int LARGEST_ECHO = RpcSession.MAX_ENCODED - 1 - 5 - 5;

  private final MuxPair pair = new MuxPair();
  private final Responders responders = new Responders();
  private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

  @AfterEach
  void tearDown() {
    pair.close();
  }

  private RpcSession connect() {
    responders.respond("echo", RpcRequest::value);
    responders.respond("big", r -> new byte[RpcSession.MAX_ENCODED]);
    responders.respond("bigError", r -> {
      throw new IllegalStateException("x".repeat(RpcSession.MAX_ENCODED));
    });
    responders.respond("ev", r -> {
      events.add(r.value() == null ? "null" : r.value().length + " bytes");
      return null;
    });
    new RpcSession(pair.b.mux, SERVER_KEY, null, responders, null, s -> { });
    RpcSession client = new RpcSession(pair.a.mux, SERVER_KEY, SERVER_KEY, new Responders(), null, s -> { });
    pair.start();
    return client;
  }

  static RpcException failure(CompletableFuture<?> future) throws InterruptedException {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS));
    return (RpcException) e.getCause();
  }

  @Test
  void shouldFailOnlyThatRequestWhenItExceedsOneFrame() throws Exception {
    RpcSession client = connect();
    CompletableFuture<byte[]> tooLarge = client.request("echo", new byte[LARGEST_ECHO + 1]);
    assertTrue(tooLarge.isCompletedExceptionally()); // refused before anything was sent
    RpcException e = failure(tooLarge);
    assertEquals(RpcException.Code.ENCODE_ERROR, e.code());
    assertEquals("Could not encode request", e.getMessage());
    SecretStreamException cause = assertInstanceOf(SecretStreamException.class, e.getCause());
    assertEquals(SecretStreamException.Code.MESSAGE_TOO_LARGE, cause.code());
    assertEquals(0, client.pendingRequests());
    byte[] largest = new byte[LARGEST_ECHO];
    largest[LARGEST_ECHO - 1] = 3;
    assertArrayEquals(largest, client.request("echo", largest).get(20, TimeUnit.SECONDS));
    assertArrayEquals(new byte[] {1}, client.request("echo", new byte[] {1}).get(20, TimeUnit.SECONDS));
  }

  @Test
  void shouldAnswerEncodeErrorWhenResponseExceedsOneFrame() throws Exception {
    RpcSession client = connect();
    RpcException e = failure(client.request("big", null));
    assertEquals(RpcException.Code.ENCODE_ERROR, e.code());
    assertEquals("Could not encode response", e.getMessage());
    RpcException cause = (RpcException) e.getCause();
    assertTrue(cause.getMessage().startsWith("the response is " + (RpcSession.MAX_ENCODED + 7) + " bytes encoded"),
        cause.getMessage());
    assertNull(cause.wireCode());
    assertEquals(RpcException.Code.ENCODE_ERROR, failure(client.request("bigError", null)).code());
    assertArrayEquals(new byte[] {2}, client.request("echo", new byte[] {2}).get(20, TimeUnit.SECONDS));
    assertFalse(client.isClosed());
  }

  @Test
  void shouldThrowToSenderWhenEventExceedsOneFrame() throws Exception {
    RpcSession client = connect();
    RpcException e = assertThrows(RpcException.class, () -> client.event("ev", new byte[RpcSession.MAX_ENCODED]));
    assertEquals(RpcException.Code.ENCODE_ERROR, e.code());
    client.event("ev", new byte[] {4});
    assertEquals("1 bytes", events.poll(20, TimeUnit.SECONDS));
    assertArrayEquals(new byte[] {5}, client.request("echo", new byte[] {5}).get(20, TimeUnit.SECONDS));
    assertNull(events.poll());
  }

  @Test
  void shouldThrowToSenderWhenEventBeforeOpenExceedsOneFrame() {
    InMemoryRawStream[] raw = InMemoryRawStream.pair(); // nobody serves the other end: the client never opens
    RpcClient client = RpcClient.start(SecretStream.builder(raw[0], true), Ed25519.generate().publicKey());
    RpcException e = assertThrows(RpcException.class, () -> client.event("ev", new byte[RpcSession.MAX_ENCODED]));
    assertEquals(RpcException.Code.ENCODE_ERROR, e.code());
    client.event("ev", new byte[1]); // small ones wait for the open
    client.close();
  }
}
