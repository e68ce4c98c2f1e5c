package io.hyperinfer.secretstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxException;
import io.hyperinfer.udx.UdxSocket;
import io.hyperinfer.udx.UdxStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Java to Java over real UDX sockets on 127.0.0.1: the stack under a HyperDHT connection, end to end. */
@Timeout(60)
class SecretStreamUdxIT {
  private final UdxStreamPair pair = new UdxStreamPair();
  private final Udx udxA = pair.udxA;
  private final Udx udxB = pair.udxB;
  private final UdxStream rawA = pair.rawA;
  private final UdxStream rawB = pair.rawB;

  @AfterEach
  void close() {
    pair.close();
  }

  private void connectUdx() {
    pair.connect();
  }

  /** Both secret streams and both UDX streams under them closed without an error. */
  private void assertClosedCleanly(SecretStream initiator, SecretStream responder) throws Exception {
    assertNull(initiator.closed().get(10, TimeUnit.SECONDS));
    assertNull(responder.closed().get(10, TimeUnit.SECONDS));
    assertNull(rawA.closed().get(10, TimeUnit.SECONDS));
    assertNull(rawB.closed().get(10, TimeUnit.SECONDS));
  }

  /** Echoes every ordered message until the peer ends, then ends too. */
  private static CompletableFuture<Void> echo(SecretStream s) {
    return CompletableFuture.runAsync(() -> {
      for (byte[] m; (m = s.read()) != null; ) {
        s.write(m);
      }
      s.end();
    }, task -> Thread.ofVirtual().start(task));
  }

  @Test
  void shouldEndKeepAlivesQuietlyWhenUdxClosesUnderTheStream() throws Exception {
    connectUdx();
    List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    try {
      for (int round = 0; round < 20; round++) {
        Udx udx = Udx.create();
        Udx peer = Udx.create();
        UdxStream raw = udx.createStream();
        UdxStream peerRaw = peer.createStream();
        UdxSocket a = udx.createSocket().bind();
        UdxSocket b = peer.createSocket().bind();
        raw.connect(a, peerRaw.id(), b.localAddress());
        peerRaw.connect(b, raw.id(), a.localAddress());
        SecretStream kept = SecretStream.builder(RawStream.of(raw), true).keepAlive(Duration.ofMillis(1)).start();
        SecretStream other = SecretStream.builder(RawStream.of(peerRaw), false).start();
        kept.peerOpened().get(10, TimeUnit.SECONDS);
        other.peerOpened().get(10, TimeUnit.SECONDS);
        udx.close(); // as a node closing under its connections: keepalives keep coming due
        try {
          kept.closed().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException expected) {
          // closed with the transport's error: fine, as long as nothing escapes a thread
        }
        peer.close();
      }
      assertEquals(List.of(), uncaught);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  @Test
  void shouldEchoUpToOneMebibyteAndCloseUdxCleanlyWhenInitiatorEnds() throws Exception {
    connectUdx();
    SecretStream initiator = SecretStream.builder(RawStream.of(rawA), true).start();
    SecretStream responder = SecretStream.builder(RawStream.of(rawB), false).start();
    CompletableFuture<Void> echoed = echo(responder);
    for (int size : new int[] {0, 1, 64, 1024, 65_536, 1 << 20}) {
      initiator.write(SecretStreamInteropIT.pattern(size));
      assertArrayEquals(SecretStreamInteropIT.pattern(size), initiator.read(), "echo of " + size);
    }
    assertArrayEquals(initiator.handshakeHash(), responder.handshakeHash());
    assertArrayEquals(initiator.publicKey(), responder.remotePublicKey());
    assertArrayEquals(responder.publicKey(), initiator.remotePublicKey());
    initiator.end();
    assertNull(initiator.read());
    echoed.get(10, TimeUnit.SECONDS);
    // Both UDX streams finish with the END exchange, not a DESTROY from the side that closed last.
    assertClosedCleanly(initiator, responder);
  }

  @Test
  void shouldCloseCleanlyWhenTheLastEndIsLostOnce() throws Exception {
    UdxSocket a = udxA.createSocket().bind();
    UdxSocket b = udxB.createSocket().bind();
    try (EndDroppingRelay relay = new EndDroppingRelay(a.localAddress(), b.localAddress())) {
      rawA.connect(a, rawB.id(), relay.address());
      rawB.connect(b, rawA.id(), relay.address());
      SecretStream initiator = SecretStream.builder(RawStream.of(rawA), true).start();
      SecretStream responder = SecretStream.builder(RawStream.of(rawB), false).start();
      CompletableFuture<Void> echoed = echo(responder);
      initiator.write(new byte[] {5});
      assertArrayEquals(new byte[] {5}, initiator.read());
      initiator.end();
      // The responder ends last and closes at once; its END is lost, so only a retransmission can end the
      // initiator cleanly. A DESTROY sent on that close would reset the initiator instead.
      assertNull(initiator.read());
      assertEquals(1, relay.droppedEnds());
      echoed.get(10, TimeUnit.SECONDS);
      assertClosedCleanly(initiator, responder);
    }
  }

  @Test
  void shouldCloseBothCleanlyWhenResponderEndsFirst() throws Exception {
    connectUdx();
    SecretStream initiator = SecretStream.builder(RawStream.of(rawA), true).start();
    SecretStream responder = SecretStream.builder(RawStream.of(rawB), false).start();
    responder.write(new byte[] {4, 2});
    responder.end();
    assertArrayEquals(new byte[] {4, 2}, initiator.read());
    assertNull(initiator.read());
    assertFalse(initiator.isClosed(), "we have not ended yet");
    initiator.write(new byte[] {9});
    assertArrayEquals(new byte[] {9}, responder.read());
    initiator.end();
    assertNull(responder.read());
    assertClosedCleanly(initiator, responder);
  }

  @Test
  void shouldDeliverUnorderedMessagesBothWaysAndDropForgedOnesWhenOverUdx() throws Exception {
    connectUdx();
    LinkedBlockingQueue<byte[]> atA = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<byte[]> atB = new LinkedBlockingQueue<>();
    SecretStream a = SecretStream.builder(RawStream.of(rawA), true).listener(unordered(atA)).start();
    SecretStream b = SecretStream.builder(RawStream.of(rawB), false).listener(unordered(atB)).start();
    // Datagrams that overtake the last handshake frame are dropped, as in JS: start once both sides are open.
    a.awaitOpen(Duration.ofSeconds(10));
    b.awaitOpen(Duration.ofSeconds(10));
    // A MESSAGE that is not a secretbox under b's receive key, sent before a real one on the same path:
    // b must drop it without telling its listener.
    rawA.send(new byte[40]);
    List<byte[]> toB = messages(0xA0);
    List<byte[]> toA = messages(0xB0);
    for (int i = 0; i < toB.size(); i++) {
      assertTrue(a.send(toB.get(i)));
      assertTrue(b.send(toA.get(i)));
    }
    assertIntactSubset(toB, atB);
    assertIntactSubset(toA, atA);
    a.destroy();
    b.destroy();
  }

  @Test
  void shouldResetPeerWhenOneSideDestroys() throws Exception {
    connectUdx();
    SecretStream initiator = SecretStream.builder(RawStream.of(rawA), true).start();
    SecretStream responder = SecretStream.builder(RawStream.of(rawB), false).start();
    initiator.write(new byte[] {1});
    assertArrayEquals(new byte[] {1}, responder.read());
    initiator.destroy();
    assertNull(initiator.read(), "a plain destroy reads as the end here");
    SecretStreamException failure = assertThrows(SecretStreamException.class, responder::read);
    assertEquals(SecretStreamException.Code.IO_ERROR, failure.code());
    ExecutionException closed = assertThrows(ExecutionException.class,
        () -> responder.closed().get(10, TimeUnit.SECONDS));
    assertEquals(UdxException.Code.ECONNRESET, udxCause(closed).code());
    assertFalse(responder.send(new byte[1]), "no unordered send on a closed stream");
  }

  /** Sizes of the unordered messages the tests send each way. */
  static final String UNORDERED_SIZES = "0,1,17,300,1000";

  /** One message per {@link #UNORDERED_SIZES} entry: the echo pattern with its first byte set to {@code marker}. */
  static List<byte[]> messages(int marker) {
    List<byte[]> out = new ArrayList<>();
    for (String size : UNORDERED_SIZES.split(",")) {
      byte[] m = SecretStreamInteropIT.pattern(Integer.parseInt(size));
      if (m.length > 0) {
        m[0] = (byte) marker;
      }
      out.add(m);
    }
    return out;
  }

  /**
   * UDX MESSAGE datagrams are never retransmitted, so even on loopback one may be lost to a full socket buffer:
   * require that something arrived, and that whatever arrived is exactly one of the messages sent (the listener only
   * sees envelopes that opened, so each is authenticated too). In practice all of them arrive here.
   */
  static List<byte[]> assertIntactSubset(List<byte[]> sent, LinkedBlockingQueue<byte[]> received)
      throws Exception {
    byte[] first = received.poll(10, TimeUnit.SECONDS);
    assertNotNull(first, "no unordered message arrived");
    List<byte[]> got = new ArrayList<>(List.of(first));
    for (byte[] m; got.size() < sent.size() && (m = received.poll(2, TimeUnit.SECONDS)) != null; ) {
      got.add(m);
    }
    assertEachSentOnce(sent, got);
    assertNull(received.poll(), "more messages than were sent");
    return got;
  }

  /** Every message in {@code got} is byte for byte one of {@code sent}, each used at most once. */
  static void assertEachSentOnce(List<byte[]> sent, List<byte[]> got) {
    List<byte[]> left = new ArrayList<>(sent);
    for (byte[] m : got) {
      assertTrue(left.remove(left.stream().filter(s -> Arrays.equals(s, m)).findFirst().orElse(null)),
          "unexpected unordered message of " + m.length + " bytes");
    }
  }

  static SecretStreamListener unordered(LinkedBlockingQueue<byte[]> into) {
    return new SecretStreamListener() {
      @Override
      public void onMessage(SecretStream stream, byte[] message) {}

      @Override
      public void onUnorderedMessage(SecretStream stream, byte[] message) {
        into.add(message);
      }
    };
  }

  static UdxException udxCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof UdxException u) {
        return u;
      }
    }
    return assertInstanceOf(UdxException.class, t, "no UdxException in the cause chain");
  }

  @Test
  void shouldDeliverEveryMessageInOrderWhenTheReaderFallsFarBehindTheInbox() throws Exception {
    connectUdx();
    SecretStream writer = SecretStream.builder(RawStream.of(rawA), true).start();
    SecretStream reader = SecretStream.builder(RawStream.of(rawB), false).inboxCapacity(4).start();
    int count = 200;
    for (int i = 0; i < count; i++) {
      writer.write(new byte[] {(byte) i, (byte) (i >> 8)});
    }
    // the inbox holds 4: the UDX loop paused the raw stream and each take below the half resumes it
    for (int i = 0; i < count; i++) {
      byte[] m = reader.read();
      assertEquals(i, (m[0] & 0xff) | (m[1] & 0xff) << 8, "message " + i);
    }
  }

  @Test
  void shouldHoldMessagesBackWhilePausedAndDeliverThemWhenResumed() throws Exception {
    connectUdx();
    LinkedBlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
    SecretStream writer = SecretStream.builder(RawStream.of(rawA), true).start();
    SecretStream reader = SecretStream.builder(RawStream.of(rawB), false).listener((stream, message) -> got.add(message))
        .start();
    reader.awaitOpen(Duration.ofSeconds(10));
    writer.awaitOpen(Duration.ofSeconds(10));
    reader.setReadPaused(true);
    for (int i = 0; i < 3; i++) {
      writer.write(new byte[] {(byte) i});
    }
    // the frames reached b's UDX stream (3 frames of 3 + 1 + 17 bytes) but not the listener
    org.awaitility.Awaitility.await().until(() -> deliveredBytes(rawB) >= 3 * 21);
    CompletableFuture<Void> loopPassed = new CompletableFuture<>();
    rawB.loop().execute(() -> loopPassed.complete(null));
    loopPassed.get(5, TimeUnit.SECONDS);
    assertTrue(got.isEmpty(), "delivered while paused");
    reader.setReadPaused(false);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(new byte[] {(byte) i}, got.poll(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void shouldTryWriteOnlyOnceOpenAndThenAsOneFrame() throws Exception {
    connectUdx();
    SecretStream writer = SecretStream.builder(RawStream.of(rawA), true).start();
    assertFalse(writer.tryWrite(new byte[] {1}), "wrote before the handshake");
    SecretStream reader = SecretStream.builder(RawStream.of(rawB), false).start();
    writer.awaitOpen(Duration.ofSeconds(10));
    assertTrue(writer.tryWrite(new byte[] {2}));
    assertArrayEquals(new byte[] {2}, reader.read());
    assertThrows(SecretStreamException.class, () -> writer.tryWrite(new byte[SecretStream.MAX_MESSAGE + 1]));
  }

  private static long deliveredBytes(UdxStream stream) {
    String stats = stream.stats();
    return Long.parseLong(stats.substring(stats.lastIndexOf('=') + 1));
  }
}
