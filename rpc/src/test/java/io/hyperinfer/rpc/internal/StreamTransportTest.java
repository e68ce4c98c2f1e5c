package io.hyperinfer.rpc.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.protomux.Channel;
import io.hyperinfer.protomux.ChannelListener;
import io.hyperinfer.protomux.Protomux;
import io.hyperinfer.secretstream.InMemoryRawStream;
import io.hyperinfer.secretstream.SecretStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class StreamTransportTest {
  private final InMemoryRawStream[] raw = InMemoryRawStream.pair(64 * 1024);
  private final SecretStream local = SecretStream.builder(raw[0], true).start();
  private final SecretStream peer = SecretStream.builder(raw[1], false).inboxCapacity(1).start();
  private final StreamTransport transport = new StreamTransport(local);
  private final Protomux mux = new Protomux(transport);
  private final CountDownLatch drained = new CountDownLatch(1);

  StreamTransportTest() throws Exception {
    transport.start(mux);
    local.awaitOpen(Duration.ofSeconds(10));
    Channel channel = mux.createChannel("test", null, new ChannelListener() {
      @Override
      public void onDrain(Channel ch) {
        drained.countDown();
      }
    });
    channel.open(null);
  }

  @Test
  void shouldReportFullThenDrainWhenPeerCatchesUp() throws Exception {
    boolean accepted = true;
    int sent = 0;
    while (accepted) {
      accepted = transport.send(new byte[1 << 20]);
      sent++;
    }
    assertTrue(sent > 3);
    int total = sent + 1;
    CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < total; i++) {
        peer.read();
      }
    });
    assertTrue(drained.await(15, TimeUnit.SECONDS));
    reader.get(15, TimeUnit.SECONDS);
  }

  @Test
  void shouldCoalesceQueuedSmallMessagesIntoOneBatch() throws Exception {
    // The peer's reader holds one message and one frame: the second large message keeps the writer busy.
    transport.send(new byte[1 << 20]);
    transport.send(new byte[1 << 20]);
    transport.send(new byte[] {1, 0, 'a'});
    transport.send(new byte[] {1, 0, 'b'});
    peer.read();
    assertTrue(peer.read().length == 1 << 20, "a large message goes alone");
    assertTrue(peer.read().length == 1 << 20, "a large message goes alone");
    assertArrayEquals(new byte[] {0, 0, 1, 2, 0, 'a', 2, 0, 'b'}, peer.read());
  }

  @Test
  void shouldStopSendingWhenStreamFails() throws Exception {
    transport.send(new byte[1 << 20]);
    transport.send(new byte[1 << 20]);
    local.destroy();
    await().atMost(Duration.ofSeconds(10)).until(() -> !transport.send(new byte[] {1, 0}));
  }

  @Test
  void shouldHoldReaderWhilePaused() throws Exception {
    transport.setReadPaused(true);
    CompletableFuture<Void> released = new CompletableFuture<>();
    Thread reader = Thread.ofPlatform().start(() -> {
      try {
        transport.awaitReadable();
        released.complete(null);
      } catch (InterruptedException e) {
        released.completeExceptionally(e);
      }
    });
    // the reader must be parked inside awaitReadable before the resume, or the test proves nothing
    await().atMost(Duration.ofSeconds(10)).until(() -> reader.getState() == Thread.State.WAITING);
    assertFalse(released.isDone());
    transport.setReadPaused(false);
    released.get(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldStopWhenTheRawStreamCannotResumeAnyMore() throws Exception {
    OneEndRaw socketGone = new OneEndRaw() {
      @Override
      public boolean pushes() {
        return true; // as UDX: pauses go to the raw stream
      }

      @Override
      public void startPushing(Receiver receiver) {
        // never delivers: this test only stops the transport
      }

      @Override
      public void pauseReading(boolean paused) {
        if (!paused) {
          throw new IllegalStateException("socket closed"); // as UDX resume does once its socket is gone
        }
      }
    };
    SecretStream stream = SecretStream.builder(socketGone, true).start();
    StreamTransport gone = new StreamTransport(stream);
    gone.start(new Protomux(gone));
    gone.setReadPaused(true);
    gone.stop(); // must not throw: the caller closes the mux and the session after it
    assertFalse(gone.send(new byte[] {1, 0}));
  }

  @Test
  void shouldCloseAndDeclineWhenTheDirectWriteOfAnIdleConnectionFails() throws Exception {
    FailingRaw failing = new FailingRaw();
    SecretStream stream = openedOver(failing);
    StreamTransport direct = new StreamTransport(stream);
    direct.start(new Protomux(direct));
    failing.failWrites = true;
    assertFalse(direct.send(new byte[] {1, 0}), "a small send on an idle connection is written by its caller");
    assertTrue(stream.isClosed(), "the failed write destroys the stream");
    assertFalse(direct.send(new byte[] {1, 0}), "a closed transport takes nothing more");
  }

  @Test
  void shouldDestroyTheStreamAndRefuseSendsWhenTheWriterFails() throws Exception {
    FailingRaw failing = new FailingRaw();
    SecretStream stream = openedOver(failing);
    StreamTransport queued = new StreamTransport(stream);
    queued.start(new Protomux(queued));
    failing.failWrites = true;
    assertTrue(queued.send(new byte[64 * 1024]), "a large message is queued for the writer");
    await().atMost(Duration.ofSeconds(10)).until(stream::isClosed);
    // a large send is queued, never tried directly: only the writer's own failure can make the transport refuse it
    await().atMost(Duration.ofSeconds(10)).until(() -> !queued.send(new byte[64 * 1024]));
  }

  /** A secret stream over {@code raw}, its handshake done with a peer on the other end of the pair. */
  private static SecretStream openedOver(FailingRaw raw) throws Exception {
    SecretStream stream = SecretStream.builder(raw, true).start();
    SecretStream.builder(raw.pair[1], false).start();
    stream.awaitOpen(Duration.ofSeconds(10));
    return stream;
  }

  /** One end of an in-memory pair; its peer end is {@code pair[1]}. */
  private static class OneEndRaw implements io.hyperinfer.secretstream.RawStream {
    final InMemoryRawStream[] pair = InMemoryRawStream.pair();

    @Override
    public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
      return pair[0].read(buffer, offset, length);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
      pair[0].write(bytes, offset, length);
    }

    @Override
    public void end() throws java.io.IOException {
      pair[0].end();
    }

    @Override
    public void destroy() {
      pair[0].destroy();
    }
  }

  /** Its writes fail once told to, as a socket reset under a writer does. */
  private static final class FailingRaw extends OneEndRaw {
    volatile boolean failWrites;

    @Override
    public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
      if (failWrites) {
        throw new java.io.IOException("connection reset");
      }
      super.write(bytes, offset, length);
    }
  }
}
