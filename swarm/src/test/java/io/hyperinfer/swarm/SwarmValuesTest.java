package io.hyperinfer.swarm;

import static io.hyperinfer.swarm.CoreHarness.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.hyperdht.ConnectOptions;
import io.hyperinfer.hyperdht.HyperDhtCrypto;
import io.hyperinfer.hyperdht.ServerOptions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SwarmValuesTest {
  @Test
  void shouldOrderKeysAsUnsignedBytesWhenCompared() {
    byte[] low = new byte[32];
    byte[] high = new byte[32];
    high[0] = (byte) 0x80; // negative as a Java byte, greater as b4a.compare reads it
    assertTrue(new PeerKey(high).compareTo(new PeerKey(low)) > 0);
    assertEquals(new PeerKey(low), new PeerKey(new byte[32]));
    assertEquals(new PeerKey(low).hashCode(), new PeerKey(new byte[32]).hashCode());
    assertNotEquals(new PeerKey(low), new PeerKey(high));
    assertNotEquals(new PeerKey(low), "not a key");
    assertEquals("80" + "00".repeat(31), new PeerKey(high).toString());
    PeerKey k = new PeerKey(high);
    k.bytes()[0] = 1;
    assertArrayEquals(high, k.bytes(), "bytes() hands out a copy");
  }

  @Test
  void shouldRejectKeyWhenNotThirtyTwoBytes() {
    SwarmException e = assertThrows(SwarmException.class, () -> new PeerKey(new byte[31]));
    assertEquals(SwarmException.Code.BAD_KEY, e.code());
    assertTrue(e.toString().contains("BAD_KEY"));
    assertThrows(SwarmException.class, () -> new PeerKey(null));
  }

  @Test
  void shouldCopyOptionsWhenEachWitherIsCalled() {
    SwarmOptions d = SwarmOptions.DEFAULT;
    var keys = HyperDhtCrypto.keyPair();
    SwarmFirewall none = k -> false;
    SwarmOptions o = d.withKeyPair(keys).withLimits(SwarmLimits.DEFAULT.withMaxPeers(5)).withFirewall(none)
        .withBackoffs(List.of(1L, 2L, 3L, 4L), 7).withServer(ServerOptions.DEFAULT.withKeepAlive(Duration.ZERO))
        .withConnect(ConnectOptions.DEFAULT.withTimeout(Duration.ofSeconds(3))).withClock(InstantSource.system())
        .withRandom(new SplittableRandom(1));
    assertSame(keys, o.keyPair());
    assertEquals(5, o.limits().maxPeers());
    assertSame(none, o.firewall());
    assertEquals(List.of(1L, 2L, 3L, 4L), o.backoffsMs());
    assertEquals(7, o.jitterMs());
    assertEquals(Duration.ZERO, o.server().keepAlive());
    assertEquals(Duration.ofSeconds(3), o.connect().timeout());
    assertNotSame(d, o);
    assertEquals(null, d.keyPair());
    assertThrows(SwarmException.class, () -> d.withLimits(null));
    assertThrows(SwarmException.class, () -> d.withBackoffs(null, -1));
  }

  @Test
  void shouldRejectLimitsWhenNotPositive() {
    SwarmLimits l = SwarmLimits.DEFAULT.withMaxParallel(1).withMaxClientConnections(2).withMaxKnownPeers(3);
    assertEquals(new SwarmLimits(64, 1, 2, 3), l);
    assertThrows(SwarmException.class, () -> SwarmLimits.DEFAULT.withMaxPeers(0));
    assertThrows(SwarmException.class, () -> SwarmLimits.DEFAULT.withMaxParallel(0));
    assertThrows(SwarmException.class, () -> SwarmLimits.DEFAULT.withMaxClientConnections(-1));
    assertThrows(SwarmException.class, () -> SwarmLimits.DEFAULT.withMaxKnownPeers(0));
  }

  @Test
  void shouldRejectBackoffsWhenNotFour() {
    SwarmException e = assertThrows(SwarmException.class,
        () -> new RetryTimer(List.of(1L), 0, new SplittableRandom(1), b -> {}));
    assertEquals(SwarmException.Code.BAD_ARGUMENT, e.code());
    List<Long> defaults = RetryTimer.defaultBackoffs(new SplittableRandom(3));
    assertEquals(4, defaults.size());
    assertTrue(defaults.get(0) >= 1000 && defaults.get(0) <= 1500);
    assertTrue(defaults.get(3) >= 600_000 && defaults.get(3) <= 720_000);
  }

  @Test
  void shouldTellPeerStateWhenAsked() {
    PeerInfo p = new PeerInfo(key(9), null);
    assertTrue(p.relayAddresses().isEmpty());
    assertArrayEquals(key(9).bytes(), p.publicKey());
    assertFalse(p.banned() || p.proven() || p.explicit());
    p.connected(10);
    p.banned = true;
    p.explicit = true;
    assertTrue(p.banned() && p.proven());
    assertTrue(p.toString().contains("banned") && p.toString().contains("explicit"));
    p.addTopic(key(1).bytes());
    p.addTopic(key(1).bytes());
    assertEquals(1, p.topics().size());
  }

  @Test
  void shouldStopTickingWhenBulkTimerDestroyed() {
    List<List<PeerInfo>> due = new java.util.ArrayList<>();
    BulkTimer t = new BulkTimer(1000, due::add);
    assertEquals(660, t.periodMs());
    t.add(new PeerInfo(key(2), null), 0);
    t.destroy();
    t.add(new PeerInfo(key(3), null), 0);
    assertEquals(Long.MAX_VALUE, t.deadlineMs());
    t.tick(10_000);
    assertTrue(due.isEmpty());
    assertEquals(null, new PeerQueue(new SplittableRandom(1)).shift());
    assertEquals(0, new Flushes().size());
  }

  @Test
  void shouldCountFailedTasksAndRefuseWorkWhenLoopClosed() throws Exception {
    SwarmLoop loop = new SwarmLoop("test-loop", InstantSource.system());
    loop.execute(() -> {
      throw new IllegalStateException("boom");
    });
    CompletionException e = assertThrows(CompletionException.class, () -> loop.call(() -> {
      throw new SwarmException(SwarmException.Code.BAD_ARGUMENT, "bad");
    }).join());
    assertEquals(SwarmException.Code.BAD_ARGUMENT, ((SwarmException) e.getCause()).code());
    assertEquals(1, loop.errors());
    assertTrue(loop.call(loop::inLoop).join());
    assertFalse(loop.inLoop());
    CountDownLatch ran = new CountDownLatch(1);
    loop.schedule(ran::countDown, 1);
    assertTrue(ran.await(10, TimeUnit.SECONDS));
    loop.close();
    loop.execute(() -> {});
    assertThrows(CompletionException.class, () -> loop.call(() -> 1).join());
  }
}
