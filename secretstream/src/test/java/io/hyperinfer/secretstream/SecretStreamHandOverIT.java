package io.hyperinfer.secretstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.udx.UdxStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SecretStream#handOver}: a stream started for {@code read()} over UDX gives its reading side to a listener
 * later, which then hears everything, queued and new, in order, on the UDX loop.
 */
@Timeout(60)
class SecretStreamHandOverIT {
  private final UdxStreamPair pair = new UdxStreamPair();

  @AfterEach
  void close() {
    pair.close();
  }

  /** Both ends started, the initiator's messages going to {@code read()} on the responder until handed over. */
  private SecretStream[] started(int inboxCapacity) {
    pair.connect();
    return new SecretStream[] {SecretStream.builder(RawStream.of(pair.rawA), true).start(),
        SecretStream.builder(RawStream.of(pair.rawB), false).inboxCapacity(inboxCapacity).start()};
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Records what a listener hears, and whether each call ran on the UDX loop of {@code raw}. */
  private static final class Recorder implements SecretStreamListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Boolean> onLoop = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    private final UdxStream raw;

    Recorder(UdxStream raw) {
      this.raw = raw;
    }

    private void heard(String event) {
      events.add(event);
      onLoop.add(raw.loop().inLoop());
    }

    @Override
    public void onOpen(SecretStream stream) {
      heard("open");
    }

    @Override
    public void onMessage(SecretStream stream, byte[] message) {
      heard(new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public void onEnd(SecretStream stream) {
      heard("end");
    }

    @Override
    public void onClose(SecretStream stream, Throwable error) {
      heard("close");
      closed.complete(error);
    }
  }

  @Test
  void shouldDeliverQueuedThenLaterMessagesInOrderOnTheLoopWhenHandedOver() throws Exception {
    SecretStream[] ends = started(256);
    SecretStream a = ends[0];
    SecretStream b = ends[1];
    for (int i = 0; i < 5; i++) {
      a.write(utf8("m" + i));
    }
    assertEquals("m0", new String(b.read(), StandardCharsets.UTF_8));
    Recorder recorder = new Recorder(pair.rawB);

    assertTrue(b.handOver(recorder));
    for (int i = 5; i < 10; i++) {
      a.write(utf8("m" + i));
    }
    a.end();
    b.end();

    assertEquals(null, recorder.closed.get(10, TimeUnit.SECONDS));
    List<String> expected = new java.util.ArrayList<>(List.of("open"));
    IntStream.range(1, 10).forEach(i -> expected.add("m" + i));
    expected.addAll(List.of("end", "close"));
    assertEquals(expected, recorder.events);
    assertFalse(recorder.onLoop.subList(0, expected.size() - 1).contains(false),
        "all but the close ran on the loop: " + recorder.onLoop);
    assertThrows(IllegalStateException.class, b::read);
    assertThrows(IllegalStateException.class, () -> b.handOver(new Recorder(pair.rawB)));
  }

  @Test
  void shouldDeliverEveryMessageWhenTheInboxHadPausedTheTransport() throws Exception {
    SecretStream[] ends = started(2);
    SecretStream a = ends[0];
    SecretStream b = ends[1];
    for (int i = 0; i < 200; i++) {
      a.write(utf8("m" + i));
    }
    assertEquals("m0", new String(b.read(), StandardCharsets.UTF_8));
    Recorder recorder = new Recorder(pair.rawB);

    b.handOver(recorder);
    a.end();
    b.end();

    assertEquals(null, recorder.closed.get(10, TimeUnit.SECONDS));
    List<String> messages = recorder.events.stream().filter(e -> e.startsWith("m")).toList();
    assertEquals(IntStream.range(1, 200).mapToObj(i -> "m" + i).toList(), messages);
  }

  @Test
  void shouldTellTheCloseWhenHandedOverAfterThePeerReset() throws Exception {
    SecretStream[] ends = started(256);
    SecretStream a = ends[0];
    SecretStream b = ends[1];
    b.peerOpened().get(10, TimeUnit.SECONDS);
    a.destroy();
    b.closed().handle((v, e) -> e).get(10, TimeUnit.SECONDS);
    Recorder recorder = new Recorder(pair.rawB);

    b.handOver(recorder);

    assertInstanceOf(SecretStreamException.class, recorder.closed.get(10, TimeUnit.SECONDS));
    assertEquals("close", recorder.events.getLast());
  }

  @Test
  void shouldTellTheCloseWhenTheUdxInstanceClosedFirst() throws Exception {
    SecretStream[] ends = started(256);
    SecretStream a = ends[0];
    SecretStream b = ends[1];
    b.peerOpened().get(10, TimeUnit.SECONDS);
    pair.udxB.close();
    Recorder recorder = new Recorder(pair.rawB);

    assertTrue(b.handOver(recorder));

    recorder.closed.get(10, TimeUnit.SECONDS);
    assertTrue(b.isClosed());
    a.destroy();
  }
}
