package io.hyperinfer.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.protomux.wire.MuxFrames;
import io.hyperinfer.rpc.wire.RpcCodecs;
import io.hyperinfer.rpc.wire.RpcMessage.Request;
import io.hyperinfer.secretstream.InMemoryRawStream;
import io.hyperinfer.secretstream.RawStream;
import io.hyperinfer.secretstream.SecretStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server answers everything that arrived in one read with one write, and reply turns are written by the reader. */
@Timeout(20)
class RpcCorkTest {
  private static final int REQUEST = 0;

  private final KeyPair serverKeys = Ed25519.fromSeed(new byte[32]);

  /** Records the thread of every write and can hold writes back to send them as one chunk (one read for the peer). */
  private static final class TappedRawStream implements RawStream {
    private final RawStream inner;
    private final List<Thread> writers = new CopyOnWriteArrayList<>();
    private ByteArrayOutputStream held;

    TappedRawStream(RawStream inner) {
      this.inner = inner;
    }

    synchronized void hold() {
      held = new ByteArrayOutputStream();
    }

    synchronized void release() throws IOException {
      byte[] bytes = held.toByteArray();
      held = null;
      inner.write(bytes, 0, bytes.length);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      return inner.read(buffer, offset, length);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
      writers.add(Thread.currentThread());
      if (held != null) {
        held.write(bytes, offset, length);
      } else {
        inner.write(bytes, offset, length);
      }
    }

    @Override
    public void end() throws IOException {
      inner.end();
    }

    @Override
    public void destroy() {
      inner.destroy();
    }
  }

  private static byte[] request(long id) {
    byte[] value = Compact.encode(Compact.OPTIONAL_BUFFER, new byte[] {(byte) id});
    return MuxFrames.message(1, REQUEST, RpcCodecs.REQUEST, new Request(id, "echo", value));
  }

  @Test
  void shouldAnswerInOneFrameWhenOneReadCarriesSeveralRequests() throws Exception {
    RpcServer server = new RpcServer().respondAsync("echo", r -> CompletableFuture.completedFuture(r.value()));
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    TappedRawStream serverRaw = new TappedRawStream(raw[1]);
    TappedRawStream clientRaw = new TappedRawStream(raw[0]);
    server.start(SecretStream.builder(serverRaw, false).keyPair(serverKeys));
    SecretStream client = SecretStream.builder(clientRaw, true).start();
    client.write(MuxFrames.open(1, RpcSession.PROTOCOL, serverKeys.publicKey(), null));
    byte[] serverOpen = client.read();
    assertEquals(MuxFrames.OPEN, serverOpen[1]);
    int writesBefore = serverRaw.writers.size();

    clientRaw.hold();
    for (long id = 1; id <= 5; id++) {
      client.write(request(id));
    }
    clientRaw.release();

    byte[] answer = client.read();
    assertEquals(0, answer[0]);
    assertEquals(MuxFrames.BATCH, answer[1]);
    assertEquals(writesBefore + 1, serverRaw.writers.size());
    assertTrue(serverRaw.writers.getLast().getName().equals("secretstream-reader"),
        "reply written by " + serverRaw.writers.getLast());
    client.destroy();
    server.close();
  }

  @Test
  void shouldWriteReplyOnReaderWhenOneRequestArrives() throws Exception {
    RpcServer server = new RpcServer().respondAsync("echo", r -> CompletableFuture.completedFuture(r.value()));
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    TappedRawStream serverRaw = new TappedRawStream(raw[1]);
    server.start(SecretStream.builder(serverRaw, false).keyPair(serverKeys));
    RpcClient client = RpcClient.start(SecretStream.builder(raw[0], true), serverKeys.publicKey());
    for (int i = 0; i < 20; i++) {
      client.call("echo", new byte[] {(byte) i});
      assertEquals("secretstream-reader", serverRaw.writers.getLast().getName());
    }
    client.close();
    server.close();
    client.closed().get(10, TimeUnit.SECONDS);
  }
}
