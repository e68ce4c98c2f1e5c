package io.hyperinfer.hyperdht;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.secretstream.SecretStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The relay control connection's mux transport before any stream exists: bounded, and closable at any point. */
class MuxStreamTest {
  @Test
  void shouldDropTheConnectionWhenMoreThanItsBoundIsQueued() {
    MuxStream mux = new MuxStream();
    for (int i = 0; i < MuxStream.MAX_QUEUED; i++) {
      assertTrue(mux.send(new byte[] {1}), "message " + i + " fits");
    }

    assertFalse(mux.send(new byte[] {1}), "one more overflows");
    assertTrue(mux.closed().isDone(), "and ends the connection instead of buffering");
    assertEquals("the relay read nothing while " + MuxStream.MAX_QUEUED + " messages waited", mux.closed().join());
    assertFalse(mux.send(new byte[] {1}), "nothing is taken after that");
  }

  @Test
  void shouldCloseWhenEndedBeforeItsStreamCame() {
    MuxStream mux = new MuxStream();

    mux.end("test");

    assertTrue(mux.closed().isDone());
    assertFalse(mux.send(new byte[] {1}));
  }

  @Test
  void shouldCloseWhenItsMuxIsDestroyed() {
    MuxStream mux = new MuxStream();

    mux.mux().destroy(new IllegalStateException("bad input"));

    assertTrue(mux.closed().isDone());
    assertTrue(mux.mux().isDestroyed());
  }

  @Test
  void shouldKeepTheFirstStreamAndDestroyASecondWhenAttachedTwice() {
    MuxStream mux = new MuxStream();
    SecretStream first = ConnectionPoolTest.pair(HyperDhtCrypto.keyPair(), HyperDhtCrypto.keyPair())[0];
    SecretStream second = ConnectionPoolTest.pair(HyperDhtCrypto.keyPair(), HyperDhtCrypto.keyPair())[0];

    mux.attach(first);
    mux.attach(second);

    await().atMost(Duration.ofSeconds(5)).until(second::isClosed);
    assertFalse(first.isClosed(), "the connection's stream is the first");
    assertFalse(mux.closed().isDone());
    mux.destroy("test");
  }

  @Test
  void shouldSayTheRelayEndedTheStreamWhenItEnds() {
    MuxStream mux = new MuxStream();

    mux.onEnd(null);

    assertEquals("the relay ended the control stream", mux.closed().join());
  }

  @Test
  void shouldSayWhyTheStreamFailedWhenItClosesWithAnError() {
    MuxStream mux = new MuxStream();

    mux.onClose(null, new java.io.IOException("connection reset"));

    assertEquals("the control stream failed: connection reset", mux.closed().join());
    assertTrue(mux.mux().isDestroyed(), "its channels closed with it");
  }
}
