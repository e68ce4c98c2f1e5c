package io.hyperinfer.hyperdht;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.secretstream.InMemoryRawStream;
import io.hyperinfer.secretstream.SecretStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The pool's rule for duplicate streams and its bookkeeping, on in-memory secret streams (no sockets). */
class ConnectionPoolTest {
  private static final KeyPair LOW = key(1);
  private static final KeyPair HIGH = key(2);

  private static KeyPair key(int seed) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) seed);
    return HyperDhtCrypto.keyPair(s);
  }

  /** A connected pair: [the initiator's end (keys {@code from}), the responder's end (keys {@code to})]. */
  static SecretStream[] pair(KeyPair from, KeyPair to) {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    SecretStream a = SecretStream.builder(raw[0], true).keyPair(from).start();
    SecretStream b = SecretStream.builder(raw[1], false).keyPair(to).start();
    a.opened().join();
    b.opened().join();
    return new SecretStream[] {a, b};
  }

  private static boolean ourKeySortsHigher(SecretStream s) {
    return Arrays.compareUnsigned(s.publicKey(), s.remotePublicKey()) > 0;
  }

  /** The typed error a closed stream was destroyed with. */
  private static HyperDhtException closeReason(SecretStream s) {
    Throwable why = s.closed().handle((v, e) -> e).join();
    while (why != null && !(why instanceof HyperDhtException)) {
      why = why.getCause();
    }
    return assertInstanceOf(HyperDhtException.class, why);
  }

  @Test
  void shouldKeepTheNewStreamWhenRolesMatchOrOurKeySortsHigher() {
    SecretStream inboundToHigh = pair(LOW, HIGH)[1];
    SecretStream outboundFromHigh = pair(HIGH, LOW)[0];
    SecretStream inboundToLow = pair(HIGH, LOW)[1];
    SecretStream outboundFromLow = pair(LOW, HIGH)[0];
    assertTrue(ourKeySortsHigher(inboundToHigh) || ourKeySortsHigher(inboundToLow));

    assertTrue(ConnectionPool.keepNew(inboundToHigh, inboundToHigh), "same role: the new one wins");
    assertEquals(ourKeySortsHigher(inboundToHigh), ConnectionPool.keepNew(inboundToHigh, outboundFromHigh));
    assertEquals(ourKeySortsHigher(inboundToLow), ConnectionPool.keepNew(inboundToLow, outboundFromLow));
    assertEquals(!ConnectionPool.keepNew(inboundToHigh, outboundFromHigh),
        ConnectionPool.keepNew(inboundToLow, outboundFromLow), "both sides keep the same connection");
    assertEquals(ConnectionPool.keepNew(inboundToHigh, outboundFromHigh), ConnectionPool.keepNew(inboundToHigh, null),
        "a connect in flight counts as an outbound stream");
  }

  @Test
  void shouldReplaceTheOldStreamAndEvictOnClose() {
    ConnectionPool pool = new ConnectionPool(null, Duration.ofSeconds(10));
    List<String> events = new CopyOnWriteArrayList<>();
    pool.addListener(new ConnectionPool.Listener() {
      @Override
      public void onOpen(byte[] remote, SecretStream stream, boolean inbound) {
        events.add("open " + inbound);
      }

      @Override
      public void onClose(byte[] remote, SecretStream stream) {
        events.add("close");
      }
    });
    SecretStream first = pair(LOW, HIGH)[1];
    SecretStream second = pair(LOW, HIGH)[1];

    pool.attach(first);
    pool.attach(second);

    assertTrue(pool.has(LOW.publicKey()));
    assertEquals(1, pool.size());
    await().atMost(Duration.ofSeconds(5)).until(first::isClosed);
    assertEquals(HyperDhtException.Code.DUPLICATE_CONNECTION, closeReason(first).code());
    assertSame(second, pool.connect(LOW.publicKey()).join(), "the pool hands out the surviving stream");
    assertFalse(second.isClosed());

    second.destroy();
    await().atMost(Duration.ofSeconds(5)).until(() -> !pool.has(LOW.publicKey()));
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 4);
    assertEquals(List.of("open true", "open true", "close", "close"), events);
  }

  @Test
  void shouldKeepTheOutboundStreamAndDropTheInboundOneWhenOurKeySortsLower() {
    boolean lowSortsLower = Arrays.compareUnsigned(LOW.publicKey(), HIGH.publicKey()) < 0;
    KeyPair us = lowSortsLower ? LOW : HIGH;
    KeyPair them = lowSortsLower ? HIGH : LOW;
    ConnectionPool pool = new ConnectionPool(null, Duration.ofSeconds(10));
    pool.addListener(new ConnectionPool.Listener() {}); // hears nothing it cares about: the defaults do nothing
    SecretStream ours = pair(us, them)[0];
    SecretStream theirs = pair(them, us)[1];

    pool.attach(ours);
    pool.attach(theirs);

    await().atMost(Duration.ofSeconds(5)).until(theirs::isClosed);
    assertEquals(HyperDhtException.Code.DUPLICATE_CONNECTION, closeReason(theirs).code());
    assertSame(ours, pool.connect(them.publicKey()).join(), "both sides keep the stream the higher key opened");
    assertEquals(1, pool.size());

    ours.destroy();
    await().atMost(Duration.ofSeconds(5)).until(() -> !pool.has(them.publicKey()));
  }

  @Test
  void shouldDestroyEverythingAndRefuseConnectsWhenClosed() {
    ConnectionPool pool = new ConnectionPool(null, Duration.ofSeconds(10));
    SecretStream s = pair(LOW, HIGH)[1];
    pool.attach(s);
    pool.close();
    await().atMost(Duration.ofSeconds(5)).until(s::isClosed);
    assertTrue(pool.connect(LOW.publicKey()).isCompletedExceptionally());
    SecretStream late = pair(LOW, HIGH)[1];
    pool.attach(late);
    await().atMost(Duration.ofSeconds(5)).until(late::isClosed);
    assertEquals(0, pool.size());
  }
}
