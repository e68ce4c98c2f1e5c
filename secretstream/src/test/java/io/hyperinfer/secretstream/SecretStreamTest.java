package io.hyperinfer.secretstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.crypto.noise.HandshakeResult;
import io.hyperinfer.crypto.noise.NoiseHandshake;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SecretStreamTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** Delegates to {@code raw} until broken; then every write fails unchecked, as a transport whose socket closed. */
  private static final class Breakable implements RawStream {
    private final RawStream raw;
    volatile boolean broken;

    Breakable(RawStream raw) {
      this.raw = raw;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
      return raw.read(buffer, offset, length);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
      if (broken) {
        throw new IllegalStateException("socket closed");
      }
      raw.write(bytes, offset, length);
    }

    @Override
    public void end() throws java.io.IOException {
      raw.end();
    }

    @Override
    public void destroy() {
      raw.destroy();
    }
  }

  @Test
  void shouldCloseQuietlyWhenKeepAliveComesDueAfterTransportClosed() throws Exception {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    try {
      InMemoryRawStream[] raw = InMemoryRawStream.pair();
      Breakable breakable = new Breakable(raw[0]);
      SecretStream kept = SecretStream.builder(breakable, true).keepAlive(Duration.ofMillis(1))
          .listener(new SecretStreamListener() {
            @Override
            public void onMessage(SecretStream stream, byte[] message) {}

            @Override
            public void onClose(SecretStream stream, Throwable error) {
              throw new IllegalStateException("a listener that fails on close");
            }
          }).start();
      SecretStream other = SecretStream.builder(raw[1], false).start();
      kept.peerOpened().get(5, TimeUnit.SECONDS);
      other.peerOpened().get(5, TimeUnit.SECONDS);
      breakable.broken = true; // the next keepalive's write fails
      java.util.concurrent.ExecutionException closed = assertThrows(java.util.concurrent.ExecutionException.class,
          () -> kept.closed().get(5, TimeUnit.SECONDS));
      assertEquals(SecretStreamException.Code.IO_ERROR, ((SecretStreamException) closed.getCause()).code());
      assertEquals(List.of(), uncaught);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  private static SecretStream[] pair() {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    return new SecretStream[] {SecretStream.builder(raw[0], true).start(),
        SecretStream.builder(raw[1], false).start()};
  }

  @Test
  void shouldDeliverEachWriteAsOneMessageWhenHandshakeIsXx() throws Exception {
    KeyPair a = Ed25519.generate();
    KeyPair b = Ed25519.generate();
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    SecretStream client = SecretStream.builder(raw[0], true).keyPair(a).start();
    SecretStream server = SecretStream.builder(raw[1], false).keyPair(b).start();
    client.write("hello".getBytes());
    client.write(new byte[0]);
    client.write(new byte[70_000]);
    assertArrayEquals("hello".getBytes(), server.read());
    assertArrayEquals(new byte[0], server.read());
    assertEquals(70_000, server.read().length);
    assertArrayEquals(b.publicKey(), client.remotePublicKey());
    assertArrayEquals(a.publicKey(), server.remotePublicKey());
    assertArrayEquals(a.publicKey(), client.publicKey());
    assertArrayEquals(client.handshakeHash(), server.handshakeHash());
    assertTrue(client.isInitiator());
    assertEquals(64, server.awaitOpen(WAIT).handshakeHash().length);
  }

  @Test
  void shouldKeepMessagesForReadWhenHandOverMeetsATransportReadByAThread() {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    SecretStream client = SecretStream.builder(raw[0], true).keyPair(Ed25519.generate()).start();
    SecretStream server = SecretStream.builder(raw[1], false).keyPair(Ed25519.generate()).start();
    client.write("kept".getBytes());

    assertFalse(server.handOver(new SecretStreamListener() {
      @Override
      public void onMessage(SecretStream stream, byte[] message) {
        throw new AssertionError("a thread-read transport keeps its messages for read()");
      }
    }));

    assertArrayEquals("kept".getBytes(), server.read());
    client.destroy();
  }

  @Test
  void shouldNotReadWhilePausedAndReadAgainWhenResumedOnAReaderThread() throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    LinkedBlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
    SecretStream writer = SecretStream.builder(raw[0], true).start();
    SecretStream reader = SecretStream.builder(raw[1], false).listener((stream, m) -> got.add(m)).start();
    writer.write(new byte[] {1});
    assertArrayEquals(new byte[] {1}, got.poll(5, TimeUnit.SECONDS));
    reader.setReadPaused(true);
    writer.write(new byte[] {2});
    // the reader thread may already sit in a read when the pause comes: that one read still goes through
    byte[] early = got.poll(200, TimeUnit.MILLISECONDS);
    writer.write(new byte[] {3});
    assertNull(got.poll(200, TimeUnit.MILLISECONDS), "a read started after the pause");
    reader.setReadPaused(false);
    if (early == null) {
      assertArrayEquals(new byte[] {2}, got.poll(5, TimeUnit.SECONDS));
    }
    assertArrayEquals(new byte[] {3}, got.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void shouldCompletePeerOpenedOnlyWhenThePeersHeaderArrives() throws Exception {
    HandshakeResult[] keys = ikKeys();
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    SecretStream a = SecretStream.builder(raw[0], true).handshake(keys[0]).start();
    a.opened().get(5, TimeUnit.SECONDS);
    assertFalse(a.peerOpened().isDone(), "our side is set up, the peer has said nothing yet");
    SecretStream b = SecretStream.builder(raw[1], false).handshake(keys[1]).start();
    a.peerOpened().get(5, TimeUnit.SECONDS);
    b.peerOpened().get(5, TimeUnit.SECONDS);
    a.destroy();
    b.destroy();
    SecretStream lonely = SecretStream.builder(InMemoryRawStream.pair()[0], true).handshake(keys[0]).start();
    lonely.destroy();
    assertTrue(lonely.peerOpened().isCompletedExceptionally(), "a stream closed before the header fails it");
  }

  @Test
  void shouldOpenWithoutXxWhenGivenFinishedHandshake() throws Exception {
    KeyPair server = Ed25519.generate();
    NoiseHandshake i = NoiseHandshake.ik(true, Ed25519.generate(), new byte[0], server.publicKey());
    NoiseHandshake r = NoiseHandshake.ik(false, server, new byte[0], null);
    r.receive(i.send(new byte[0]));
    i.receive(r.send(new byte[0]));
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    SecretStream a = SecretStream.builder(raw[0], true).handshake(i.result()).start();
    SecretStream b = SecretStream.builder(raw[1], false).handshake(r.result()).start();
    b.write(new byte[] {7});
    assertArrayEquals(new byte[] {7}, a.read());
    assertArrayEquals(server.publicKey(), a.remotePublicKey());
  }

  @Test
  void shouldCloseCleanlyWhenBothSidesEnd() throws Exception {
    SecretStream[] s = pair();
    s[0].write(new byte[] {1});
    s[0].end();
    assertArrayEquals(new byte[] {1}, s[1].read());
    assertNull(s[1].read());
    assertNull(s[1].read());
    s[1].write(new byte[] {2});
    assertArrayEquals(new byte[] {2}, s[0].read());
    s[1].end();
    s[0].closed().get(5, TimeUnit.SECONDS);
    s[1].closed().get(5, TimeUnit.SECONDS);
    assertNull(s[0].read());
    SecretStreamException e = assertThrows(SecretStreamException.class, () -> s[0].write(new byte[1]));
    assertEquals(SecretStreamException.Code.STREAM_ENDED, e.code());
  }

  @Test
  void shouldEndPeerWhenDestroyed() throws Exception {
    SecretStream[] s = pair();
    s[0].awaitOpen(WAIT);
    s[1].awaitOpen(WAIT);
    s[0].destroy();
    assertTrue(s[0].isClosed());
    assertNull(s[0].read());
    assertNull(s[1].read());
    assertThrows(SecretStreamException.class, () -> s[0].write(new byte[1]));
  }

  @Test
  void shouldFailReadersWhenDestroyedWithCause() throws Exception {
    SecretStream[] s = pair();
    s[0].destroy(new IllegalStateException("boom"));
    SecretStreamException e = assertThrows(SecretStreamException.class, s[0]::read);
    assertEquals(SecretStreamException.Code.DESTROYED, e.code());
    assertEquals("boom", e.getCause().getMessage());
    assertThrows(Exception.class, () -> s[0].closed().get(5, TimeUnit.SECONDS));
  }

  @Test
  void shouldCallListenerInOrderWhenListenerGiven() throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch closed = new CountDownLatch(1);
    CountDownLatch gotMessage = new CountDownLatch(1);
    SecretStreamListener listener = new SecretStreamListener() {
      @Override public void onOpen(SecretStream s) { events.add("open"); }
      @Override public void onMessage(SecretStream s, byte[] m) {
        events.add("msg" + m.length);
        gotMessage.countDown();
      }
      @Override public void onUnorderedMessage(SecretStream s, byte[] m) { events.add("dgram" + m.length); }
      @Override public void onEnd(SecretStream s) {
        events.add("end");
        s.end();
      }
      @Override public void onClose(SecretStream s, Throwable error) {
        events.add("close" + (error == null ? "" : error));
        closed.countDown();
      }
    };
    SecretStream server = SecretStream.builder(raw[1], false).listener(listener).start();
    SecretStream client = SecretStream.builder(raw[0], true).start();
    client.write(new byte[3]);
    // a datagram overtakes the stream (and is dropped before the server is open): send it once the message is in
    assertTrue(gotMessage.await(5, TimeUnit.SECONDS));
    assertTrue(client.send(new byte[5]));
    client.end();
    assertTrue(closed.await(5, TimeUnit.SECONDS));
    assertEquals(List.of("open", "msg3", "dgram5", "end", "close"), events);
    assertThrows(IllegalStateException.class, server::read);
    assertNull(client.read());
  }

  @Test
  void shouldRejectMessageWhenLargerThanOneFrame() {
    SecretStream[] s = pair();
    SecretStreamException e = assertThrows(SecretStreamException.class,
        () -> s[0].write(new byte[(1 << 24) - 17]));
    assertEquals(SecretStreamException.Code.MESSAGE_TOO_LARGE, e.code());
    s[0].write(new byte[] {4});
    assertArrayEquals(new byte[] {4}, s[1].read());
  }

  @Test
  void shouldFailHandshakeWhenPeerEndsEarly() {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    SecretStream client = SecretStream.builder(raw[0], true).start();
    raw[1].end();
    SecretStreamException e = assertThrows(SecretStreamException.class, client::remotePublicKey);
    assertEquals(SecretStreamException.Code.HANDSHAKE_FAILED, e.code());
  }

  @Test
  void shouldReturnFalseWhenSendingUnorderedOverTransportWithoutDatagrams() throws Exception {
    HandshakeResult[] keys = ikKeys();
    RawStream noDatagrams = new RawStream() {
      private final InMemoryRawStream inner = InMemoryRawStream.pair()[0];
      @Override public int read(byte[] b, int o, int l) throws java.io.IOException { return inner.read(b, o, l); }
      @Override public void write(byte[] b, int o, int l) throws java.io.IOException { inner.write(b, o, l); }
      @Override public void end() { inner.end(); }
      @Override public void destroy() { inner.destroy(); }
    };
    SecretStream s = SecretStream.builder(noDatagrams, true).handshake(keys[0]).start();
    s.awaitOpen(WAIT);
    assertEquals(false, s.send(new byte[1]));
    s.trySend(new byte[1]); // nothing to carry it: dropped without an error
    assertThrows(UnsupportedOperationException.class, () -> noDatagrams.sendDatagram(new byte[1]));
    s.destroy();
  }

  @Test
  void shouldDropUnorderedMessageWithoutWaitingWhenTrySendBeforeOpen() throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    LinkedBlockingQueue<byte[]> unordered = new LinkedBlockingQueue<>();
    SecretStream client = SecretStream.builder(raw[0], true).start();
    client.trySend(new byte[] {1}); // the peer has not even started, so this cannot have waited for the handshake
    SecretStream server = SecretStream.builder(raw[1], false).listener(new SecretStreamListener() {
      @Override public void onMessage(SecretStream s, byte[] m) {}
      @Override public void onUnorderedMessage(SecretStream s, byte[] m) { unordered.add(m); }
    }).start();
    client.awaitOpen(WAIT);
    server.awaitOpen(WAIT);
    client.trySend(new byte[] {2});
    assertArrayEquals(new byte[] {2}, unordered.poll(5, TimeUnit.SECONDS));
    client.destroy();
    client.trySend(new byte[] {3});
    assertNull(unordered.poll());
  }

  @Test
  void shouldSendEmptyFrameWhenIdleAndPeerShouldDropIt() throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    CountDownLatch keepAliveSeen = new CountDownLatch(1);
    RawStream counting = new RawStream() {
      @Override public int read(byte[] b, int o, int l) throws java.io.IOException { return raw[0].read(b, o, l); }
      @Override public void write(byte[] b, int o, int l) throws java.io.IOException {
        if (l == 3 + 17) {
          keepAliveSeen.countDown();
        }
        raw[0].write(b, o, l);
      }
      @Override public void end() { raw[0].end(); }
      @Override public void destroy() { raw[0].destroy(); }
    };
    SecretStream client = SecretStream.builder(counting, true).keepAlive(Duration.ofMillis(20)).start();
    SecretStream server = SecretStream.builder(raw[1], false).filterEmptyMessages(true).start();
    assertTrue(keepAliveSeen.await(5, TimeUnit.SECONDS));
    client.write(new byte[] {9});
    assertArrayEquals(new byte[] {9}, server.read());
    client.end();
    server.end();
    client.closed().get(5, TimeUnit.SECONDS);
  }

  @Test
  void shouldBlockWriterWhenInMemoryPipeIsFull() throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair(8);
    CountDownLatch written = new CountDownLatch(1);
    Thread writer = Thread.ofVirtual().start(() -> {
      try {
        raw[0].write(new byte[8], 0, 8);
        raw[0].write(new byte[4], 0, 4);
        written.countDown();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertEquals(false, written.await(50, TimeUnit.MILLISECONDS));
    byte[] buf = new byte[16];
    assertEquals(8, raw[1].read(buf, 0, 16));
    assertTrue(written.await(5, TimeUnit.SECONDS));
    writer.join();
    raw[1].destroy();
    assertEquals(-1, raw[0].read(buf, 0, 16));
    assertThrows(java.io.IOException.class, () -> raw[0].write(new byte[1], 0, 1));
  }

  static HandshakeResult[] ikKeys() {
    KeyPair server = Ed25519.generate();
    NoiseHandshake i = NoiseHandshake.ik(true, Ed25519.generate(), new byte[0], server.publicKey());
    NoiseHandshake r = NoiseHandshake.ik(false, server, new byte[0], null);
    r.receive(i.send(new byte[0]));
    i.receive(r.send(new byte[0]));
    return new HandshakeResult[] {i.result(), r.result()};
  }
}
