package io.hyperinfer.secretstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxSocket;
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
  private final Udx udxA = Udx.create();
  private final Udx udxB = Udx.create();
  private final UdxStream rawA = udxA.createStream();
  private final UdxStream rawB = udxB.createStream();

  @AfterEach
  void close() {
    udxA.close();
    udxB.close();
  }

  private void connectUdx() {
    UdxSocket a = udxA.createSocket().bind();
    UdxSocket b = udxB.createSocket().bind();
    rawA.connect(a, rawB.id(), b.localAddress());
    rawB.connect(b, rawA.id(), a.localAddress());
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
    connectUdx();
    SecretStream a = SecretStream.builder(RawStream.of(rawA), true).start();
    SecretStream b = SecretStream.builder(RawStream.of(rawB), false).start();
    for (int i = 0; i < 5; i++) {
      a.write(utf8("m" + i));
    }
    assertEquals("m0", new String(b.read(), StandardCharsets.UTF_8));
    Recorder recorder = new Recorder(rawB);

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
    assertThrows(IllegalStateException.class, () -> b.handOver(new Recorder(rawB)));
  }

  @Test
  void shouldDeliverEveryMessageWhenTheInboxHadPausedTheTransport() throws Exception {
    connectUdx();
    SecretStream a = SecretStream.builder(RawStream.of(rawA), true).start();
    SecretStream b = SecretStream.builder(RawStream.of(rawB), false).inboxCapacity(2).start();
    for (int i = 0; i < 200; i++) {
      a.write(utf8("m" + i));
    }
    assertEquals("m0", new String(b.read(), StandardCharsets.UTF_8));
    Recorder recorder = new Recorder(rawB);

    b.handOver(recorder);
    a.end();
    b.end();

    assertEquals(null, recorder.closed.get(10, TimeUnit.SECONDS));
    List<String> messages = recorder.events.stream().filter(e -> e.startsWith("m")).toList();
    assertEquals(IntStream.range(1, 200).mapToObj(i -> "m" + i).toList(), messages);
  }

  @Test
  void shouldTellTheCloseWhenHandedOverAfterThePeerReset() throws Exception {
    connectUdx();
    SecretStream a = SecretStream.builder(RawStream.of(rawA), true).start();
    SecretStream b = SecretStream.builder(RawStream.of(rawB), false).start();
    b.peerOpened().get(10, TimeUnit.SECONDS);
    a.destroy();
    b.closed().handle((v, e) -> e).get(10, TimeUnit.SECONDS);
    Recorder recorder = new Recorder(rawB);

    b.handOver(recorder);

    assertInstanceOf(SecretStreamException.class, recorder.closed.get(10, TimeUnit.SECONDS));
    assertEquals("close", recorder.events.getLast());
  }

  @Test
  void shouldTellTheCloseWhenTheUdxInstanceClosedFirst() throws Exception {
    connectUdx();
    SecretStream a = SecretStream.builder(RawStream.of(rawA), true).start();
    SecretStream b = SecretStream.builder(RawStream.of(rawB), false).start();
    b.peerOpened().get(10, TimeUnit.SECONDS);
    udxB.close();
    Recorder recorder = new Recorder(rawB);

    assertTrue(b.handOver(recorder));

    recorder.closed.get(10, TimeUnit.SECONDS);
    assertTrue(b.isClosed());
    a.destroy();
  }
}
