package io.hyperinfer.secretstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.testkit.ManualClock;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The idle read timeout, driven by a manual clock. The clock queues every time it hands out, so a test can wait until
 * the timeout watcher has looked at the new time twice (the second look proves the first did not destroy).
 */
@Timeout(20)
class SecretStreamTimeoutTest {
  private static final Duration TIMEOUT = Duration.ofMillis(100);

  private final WatchedClock clock = new WatchedClock();
  private final LinkedBlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Throwable> closedWith = new CompletableFuture<>();
  private final SecretStreamListener listener = new SecretStreamListener() {
    @Override public void onMessage(SecretStream s, byte[] m) { messages.add(m); }
    @Override public void onClose(SecretStream s, Throwable error) { closedWith.complete(error); }
  };
  private ProbedRawStream serverRaw;

  /** A manual clock that queues every instant it hands out. */
  private static final class WatchedClock extends Clock {
    final ManualClock time = new ManualClock();
    final LinkedBlockingQueue<Instant> reads = new LinkedBlockingQueue<>();

    @Override public Instant instant() {
      Instant now = time.instant();
      reads.add(now);
      return now;
    }

    @Override public ZoneId getZone() { return time.getZone(); }

    @Override public Clock withZone(ZoneId zone) { throw new UnsupportedOperationException(); }

    /** Waits for {@code n} reads that saw the current time; false if they do not come within five seconds. */
    boolean awaitReadsOfNow(int n) throws InterruptedException {
      Instant now = time.instant();
      for (int seen = 0; seen < n; ) {
        Instant read = reads.poll(5, TimeUnit.SECONDS);
        if (read == null) {
          return false;
        }
        seen += read.isBefore(now) ? 0 : 1;
      }
      return true;
    }
  }

  /** Queues, each time the reader starts waiting for bytes, how many chunks it had read before. */
  private static final class ProbedRawStream implements RawStream {
    final RawStream inner;
    final AtomicInteger chunks = new AtomicInteger();
    final LinkedBlockingQueue<Integer> waiting = new LinkedBlockingQueue<>();

    ProbedRawStream(RawStream inner) {
      this.inner = inner;
    }

    @Override public int read(byte[] b, int o, int l) throws IOException {
      waiting.add(chunks.get());
      int n = inner.read(b, o, l);
      chunks.incrementAndGet();
      return n;
    }

    @Override public void write(byte[] b, int o, int l) throws IOException { inner.write(b, o, l); }

    @Override public void end() throws IOException { inner.end(); }

    @Override public void destroy() { inner.destroy(); }

    /** Waits until the reader is back waiting after {@code count} chunks, so it has handled all of them. */
    void awaitHandled(int count) throws InterruptedException {
      Integer read;
      do {
        read = waiting.poll(5, TimeUnit.SECONDS);
        assertNotNull(read, "the reader never came back for more bytes");
      } while (read < count);
    }
  }

  private SecretStream[] openPair(Duration serverTimeout) throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    serverRaw = new ProbedRawStream(raw[1]);
    SecretStream server = SecretStream.builder(serverRaw, false).clock(clock).timeout(serverTimeout)
        .filterEmptyMessages(true).listener(listener).start();
    SecretStream client = SecretStream.builder(raw[0], true).start();
    client.write(new byte[] {1});
    assertArrayEquals(new byte[] {1}, messages.poll(5, TimeUnit.SECONDS)); // the client's header is in, too
    return new SecretStream[] {client, server};
  }

  /** The watcher looked at the current time twice and the stream is still open. */
  private void assertWatcherKeepsOpen(SecretStream server) throws Exception {
    if (!clock.awaitReadsOfNow(2)) {
      throw new AssertionError("the timeout watcher stopped looking; closed with " + closedWith.getNow(null));
    }
    assertFalse(server.isClosed());
  }

  private SecretStreamException timedOut(SecretStream server) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class, () -> server.closed().get(5, TimeUnit.SECONDS));
    SecretStreamException failure = (SecretStreamException) e.getCause();
    assertEquals(SecretStreamException.Code.TIMEOUT, failure.code());
    assertEquals("Stream timed out", failure.getMessage());
    assertEquals(failure, closedWith.get(5, TimeUnit.SECONDS));
    return failure;
  }

  @Test
  void shouldTimeOutWhenPeerNeverSendsAByte() throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    SecretStream server = SecretStream.builder(raw[1], false).clock(clock).timeout(TIMEOUT).start();
    clock.time.advance(Duration.ofMillis(99));
    assertWatcherKeepsOpen(server);
    clock.time.advance(Duration.ofMillis(1));
    ExecutionException e = assertThrows(ExecutionException.class, () -> server.closed().get(5, TimeUnit.SECONDS));
    assertEquals(SecretStreamException.Code.TIMEOUT, ((SecretStreamException) e.getCause()).code());
    SecretStreamException notOpened = assertThrows(SecretStreamException.class, server::remotePublicKey);
    assertEquals(SecretStreamException.Code.TIMEOUT, notOpened.code());
    assertEquals(SecretStreamException.Code.TIMEOUT, assertThrows(SecretStreamException.class, server::read).code());
    assertEquals(-1, raw[0].read(new byte[8], 0, 8)); // the raw stream was destroyed
  }

  @Test
  void shouldRestartTimeoutWhenKeepaliveFrameArrives() throws Exception {
    SecretStream[] s = openPair(TIMEOUT);
    clock.time.advance(Duration.ofMillis(90));
    int before = serverRaw.chunks.get();
    s[0].write(new byte[0]); // what a keepalive sends; the server drops it
    serverRaw.awaitHandled(before + 1);
    clock.time.advance(Duration.ofMillis(70)); // 160 ms since the last message, 70 since the keepalive
    assertWatcherKeepsOpen(s[1]);
    assertNull(messages.poll());
    clock.time.advance(Duration.ofMillis(30));
    timedOut(s[1]);
    assertNull(s[0].read()); // the peer sees the stream end
  }

  @Test
  void shouldRestartWindowWhenTimeoutIsSetAtRuntime() throws Exception {
    SecretStream[] s = openPair(Duration.ZERO);
    assertEquals(Duration.ZERO, s[1].timeout());
    clock.time.advance(Duration.ofMillis(10));
    s[1].setTimeout(Duration.ofHours(1));
    assertEquals(true, clock.awaitReadsOfNow(2)); // this thread's and the watcher's: it now sleeps for an hour
    clock.time.advance(Duration.ofMillis(50));
    s[1].setTimeout(TIMEOUT); // wakes it; the new window starts now
    assertEquals(TIMEOUT, s[1].timeout());
    clock.time.advance(Duration.ofMillis(99));
    assertWatcherKeepsOpen(s[1]);
    clock.time.advance(Duration.ofMillis(1));
    timedOut(s[1]);
    assertThrows(SecretStreamException.class, () -> s[1].write(new byte[1]));
  }

  @Test
  void shouldNeverTimeOutWhenTimeoutIsTurnedOff() throws Exception {
    SecretStream[] s = openPair(TIMEOUT);
    s[1].setTimeout(Duration.ZERO);
    assertEquals(Duration.ZERO, s[1].timeout());
    clock.time.advance(Duration.ofHours(1));
    s[0].write(new byte[] {2});
    assertArrayEquals(new byte[] {2}, messages.poll(5, TimeUnit.SECONDS));
    s[1].setTimeout(TIMEOUT);
    clock.time.advance(Duration.ofMillis(99));
    assertWatcherKeepsOpen(s[1]);
    clock.time.advance(Duration.ofMillis(1));
    assertNotNull(timedOut(s[1]));
  }

  @Test
  void shouldTimeOutHandshakeWhenPeerTricklesBytesPastDeadline() throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    ProbedRawStream probed = new ProbedRawStream(raw[1]);
    SecretStream server = SecretStream.builder(probed, false).clock(clock).timeout(TIMEOUT)
        .handshakeTimeout(Duration.ofMillis(250)).listener(listener).start();
    raw[0].write(new byte[] {32}, 0, 1); // the start of a valid XX message 1, one byte at a time
    for (int i = 1; i <= 3; i++) {
      clock.time.advance(Duration.ofMillis(80));
      raw[0].write(new byte[] {0}, 0, 1);
      probed.awaitHandled(i + 1); // the idle timeout restarts with every byte
    }
    assertWatcherKeepsOpen(server);
    clock.time.advance(Duration.ofMillis(10)); // 250 ms since start, 10 ms since the last byte
    ExecutionException e = assertThrows(ExecutionException.class, () -> server.closed().get(5, TimeUnit.SECONDS));
    SecretStreamException failure = (SecretStreamException) e.getCause();
    assertEquals(SecretStreamException.Code.TIMEOUT, failure.code());
    assertEquals("Handshake timed out", failure.getMessage());
  }

  @Test
  void shouldKeepOpenStreamPastHandshakeDeadlineWhenHandshakeFinishedInTime() throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    SecretStream server = SecretStream.builder(raw[1], false).clock(clock)
        .handshakeTimeout(Duration.ofMillis(100)).listener(listener).start();
    SecretStream client = SecretStream.builder(raw[0], true).start();
    client.write(new byte[] {1});
    assertArrayEquals(new byte[] {1}, messages.poll(5, TimeUnit.SECONDS));
    clock.time.advance(Duration.ofHours(1));
    client.write(new byte[] {2});
    assertArrayEquals(new byte[] {2}, messages.poll(5, TimeUnit.SECONDS));
    assertFalse(server.isClosed());
    assertThrows(IllegalArgumentException.class,
        () -> SecretStream.builder(raw[0], true).handshakeTimeout(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> SecretStream.builder(raw[0], true).handshakeFrameLimit(95));
  }

  @Test
  void shouldRefuseNegativeTimeoutWhenBuilding() {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    assertThrows(IllegalArgumentException.class,
        () -> SecretStream.builder(raw[0], true).timeout(Duration.ofMillis(-1)));
  }
}
