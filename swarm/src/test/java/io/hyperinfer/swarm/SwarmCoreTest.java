package io.hyperinfer.swarm;

import static io.hyperinfer.swarm.CoreHarness.key;
import static io.hyperinfer.swarm.CoreHarness.topic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SwarmCoreTest {
  private final byte[] topic = topic(0xAA);

  /** A core that joined the topic and found peer 2 on it (and dialed it). */
  private CoreHarness onePeerFound() {
    return CoreHarness.foundRange(SwarmLimits.DEFAULT, topic, 2, 3);
  }

  @Test
  void shouldDialPeerWhenFoundOnJoinedTopic() {
    CoreHarness h = onePeerFound();
    assertEquals(1, h.dials.size());
    assertEquals(key(2), h.lastDial().remote);
    h.core.onClientOpened(h.lastDial(), h.now);
    assertEquals(List.of(h.lastDial()), h.connections);
    assertTrue(h.core.peer(key(2)).client());
    assertEquals(1, h.core.peer(key(2)).topics().size());
    h.found(2, topic);
    assertEquals(1, h.dials.size(), "a connected peer found again is not dialed again");
  }

  @Test
  void shouldIgnoreOwnKeyWhenFound() {
    CoreHarness h = new CoreHarness(1);
    h.found(1, topic);
    h.core.joinPeer(key(1).bytes(), h.now);
    assertTrue(h.dials.isEmpty());
    assertEquals(0, h.core.knownPeers());
  }

  @Test
  void shouldKeepConnectionDialedByHigherKeyWhenBothSidesDialAtOnce() {
    CoreHarness high = new CoreHarness(0xF0);
    CoreHarness low = new CoreHarness(0x10);
    high.join(topic);
    low.join(topic);
    high.found(0x10, topic);
    low.found(0xF0, topic);
    FakeLink highDial = high.lastDial();
    FakeLink lowDial = low.lastDial();

    FakeLink lowDialAtHigh = new FakeLink(key(0x10), false);
    high.core.onServerConnection(lowDialAtHigh, high.now);
    FakeLink highDialAtLow = new FakeLink(key(0xF0), false);
    low.core.onServerConnection(highDialAtLow, low.now);

    assertEquals(SwarmException.Code.DUPLICATE, lowDialAtHigh.destroyedWith.code());
    assertFalse(highDial.destroyed());
    assertEquals(1, highDial.keepAlives, "the kept one is probed, as JS's existing.sendKeepAlive()");
    assertEquals(SwarmException.Code.DUPLICATE, lowDial.destroyedWith.code());
    assertTrue(low.connections.isEmpty(), "the replacement waits for the old one to close");

    low.core.onClientClosed(lowDial, low.now);
    high.core.onServerClosed(lowDialAtHigh, high.now);
    high.core.onClientOpened(highDial, high.now);

    assertEquals(List.of(highDial), high.connections);
    assertEquals(List.of(highDialAtLow), low.connections);
    assertFalse(highDialAtLow.destroyed());
    assertEquals(1, high.core.stats().duplicatesClosed());
  }

  @Test
  void shouldKeepNewConnectionWhenExistingOneAlreadyCarriedBytes() {
    CoreHarness h = new CoreHarness(0xF0);
    FakeLink first = new FakeLink(key(0x10), false);
    h.core.onServerConnection(first, h.now);
    first.exchanged = true;
    FakeLink second = new FakeLink(key(0x10), false);
    h.core.onServerConnection(second, h.now);
    assertEquals(SwarmException.Code.DUPLICATE, first.destroyedWith.code());
    h.core.onServerClosed(first, h.now);
    assertEquals(List.of(first, second), h.connections);
    assertEquals(List.of(second), h.core.connections());
  }

  /** A core that dialed {@code peer} as an explicit peer, the dial through before either server heard the other's. */
  private static CoreHarness dialedAndCarriedBytes(int self, int peer) {
    CoreHarness h = new CoreHarness(self);
    h.core.joinPeer(key(peer).bytes(), h.now);
    h.lastDial().exchanged = true;
    return h;
  }

  @Test
  void shouldSettleOnHigherKeysDialWhenShellKeepsItsFreshDialsAfterBothCarriedBytes() {
    CoreHarness high = dialedAndCarriedBytes(0xF0, 0x10);
    CoreHarness low = dialedAndCarriedBytes(0x10, 0xF0);
    FakeLink highDial = high.lastDial();
    FakeLink lowDial = low.lastDial();
    high.replaceable = l -> !l.isInitiator();
    low.replaceable = l -> !l.isInitiator();

    FakeLink lowDialAtHigh = new FakeLink(key(0x10), false);
    high.core.onServerConnection(lowDialAtHigh, high.now);
    FakeLink highDialAtLow = new FakeLink(key(0xF0), false);
    low.core.onServerConnection(highDialAtLow, low.now);

    assertFalse(highDial.destroyed(), "the higher key keeps its own dial by the tie-break");
    assertEquals(SwarmException.Code.DUPLICATE, lowDialAtHigh.destroyedWith.code());
    assertEquals(SwarmException.Code.DUPLICATE, lowDial.destroyedWith.code());
    low.core.onClientClosed(lowDial, low.now);
    assertEquals(List.of(highDialAtLow), low.connections);
    assertFalse(highDialAtLow.destroyed());
  }

  @Test
  void shouldReplaceBothFirstDialsWhenShellFollowsJsRuleAfterBothCarriedBytes() {
    CoreHarness high = dialedAndCarriedBytes(0xF0, 0x10);
    CoreHarness low = dialedAndCarriedBytes(0x10, 0xF0);
    high.core.onServerConnection(new FakeLink(key(0x10), false), high.now);
    low.core.onServerConnection(new FakeLink(key(0xF0), false), low.now);
    // JS's rule: each side drops its own dial for the other's, so both first connections close (the flap)
    assertTrue(high.lastDial().destroyed());
    assertTrue(low.lastDial().destroyed());
  }

  @Test
  void shouldDropReplacementWhenItClosesBeforeTheOldOne() {
    CoreHarness h = new CoreHarness(0x10);
    FakeLink first = new FakeLink(key(0xF0), false);
    h.core.onServerConnection(first, h.now);
    FakeLink second = new FakeLink(key(0xF0), false);
    h.core.onServerConnection(second, h.now);
    assertTrue(first.destroyed());
    h.core.onServerClosed(second, h.now);
    h.core.onServerClosed(first, h.now);
    assertTrue(h.core.connections().isEmpty());
    assertEquals(List.of(first), h.connections);
  }

  @Test
  void shouldRetryUnprovenPeerOnMediumBackoffWhenDialFails() {
    CoreHarness h = onePeerFound();
    h.core.onClientClosed(h.lastDial(), h.now);
    assertEquals(1, h.core.peer(key(2)).attempts());
    h.advance(6599);
    assertEquals(1, h.dialsTo(2));
    h.advance(1);
    assertEquals(2, h.dialsTo(2), "5 s bulk timer: ticks every 3.3 s, a peer waits two ticks at most");
  }

  @Test
  void shouldRetryProvenPeerOnShortBackoffWhenConnectionEnds() {
    CoreHarness h = onePeerFound();
    h.core.onClientOpened(h.lastDial(), h.now);
    h.core.onClientClosed(h.lastDial(), h.now);
    h.advance(1319);
    assertEquals(1, h.dialsTo(2));
    h.advance(1);
    assertEquals(2, h.dialsTo(2));
  }

  @Test
  void shouldResetAttemptsWhenConnectionLastedFifteenSeconds() {
    CoreHarness h = onePeerFound();
    h.core.onClientClosed(h.lastDial(), h.now);
    h.advance(6600);
    h.core.onClientOpened(h.lastDial(), h.now);
    h.advance(PeerInfo.MIN_CONNECTION_MS);
    h.core.onClientClosed(h.lastDial(), h.now);
    assertEquals(1, h.core.peer(key(2)).attempts());
  }

  @Test
  void shouldGiveUpOnPeerWhenFourDialsFailed() {
    CoreHarness h = onePeerFound();
    for (int i = 0; i < 4; i++) {
      h.core.onClientClosed(h.lastDial(), h.now);
      h.advance(60_000);
    }
    assertEquals(4, h.dialsTo(2));
    assertNull(h.core.peer(key(2)), "forgotten: nothing waits for it");
    h.found(2, topic);
    assertEquals(5, h.dialsTo(2), "found again: a fresh start");
  }

  @Test
  void shouldNotRetryWhenTopicWasLeft() {
    CoreHarness h = onePeerFound();
    h.joinedTopics.clear();
    h.core.onClientClosed(h.lastDial(), h.now);
    h.advance(60_000);
    assertEquals(1, h.dialsTo(2));
    assertEquals(0, h.core.knownPeers());
  }

  @Test
  void shouldKeepRetryingExplicitPeerWhenDialsFail() {
    CoreHarness h = new CoreHarness(1);
    h.core.joinPeer(key(2).bytes(), h.now);
    assertEquals(1, h.dialsTo(2));
    for (int i = 0; i < 6; i++) {
      h.core.onClientClosed(h.lastDial(), h.now);
      h.advance(2 * 660_000);
    }
    assertTrue(h.dialsTo(2) >= 6, "never given up");
    assertTrue(h.core.peer(key(2)).explicit());
    h.core.leavePeer(key(2).bytes());
    h.core.onClientClosed(h.lastDial(), h.now);
    long before = h.dialsTo(2);
    h.advance(2 * 660_000);
    assertEquals(before, h.dialsTo(2));
  }

  @Test
  void shouldBanPeerAndNeverDialItWhenFirewallRejectsIt() {
    CoreHarness h = new CoreHarness(key(1), SwarmLimits.DEFAULT, k -> k[0] != 3);
    h.join(topic);
    h.found(3, topic);
    assertTrue(h.dials.isEmpty());
    assertEquals(List.of(key(3)), h.bans.stream().map(PeerInfo::key).toList());
    assertTrue(h.core.isBanned(key(3)));
    h.found(3, topic);
    h.advance(60_000);
    assertTrue(h.dials.isEmpty());
    assertTrue(h.core.firewalled(key(3)));
    assertTrue(h.core.firewalled(key(1)), "our own key");
    assertFalse(h.core.firewalled(key(4)));
  }

  @Test
  void shouldNotReconnectBannedPeerWhenItsConnectionEnds() {
    CoreHarness h = onePeerFound();
    h.core.onClientOpened(h.lastDial(), h.now);
    h.core.ban(key(2).bytes(), true, new SwarmException(SwarmException.Code.FIREWALLED, "test"));
    h.core.onClientClosed(h.lastDial(), h.now);
    h.advance(60_000);
    h.found(2, topic);
    assertEquals(1, h.dialsTo(2));
    h.core.ban(key(2).bytes(), false, new SwarmException(SwarmException.Code.FIREWALLED, "test"));
    assertFalse(h.core.isBanned(key(2)));
    h.found(2, topic);
    assertEquals(2, h.dialsTo(2));
  }

  @Test
  void shouldDialAtMostMaxParallelWhenManyPeersAreFound() {
    CoreHarness h = CoreHarness.foundRange(SwarmLimits.DEFAULT.withMaxParallel(2), topic, 2, 7);
    assertEquals(2, h.dials.size());
    assertEquals(3, h.core.queued());
    h.core.onClientOpened(h.dials.get(0), h.now);
    assertEquals(3, h.dials.size());
    h.core.onClientClosed(h.dials.get(1), h.now);
    assertEquals(4, h.dials.size());
    assertEquals(2, h.core.connecting());
  }

  @Test
  void shouldStopDialingWhenMaxPeersReached() {
    CoreHarness h = new CoreHarness(key(1), SwarmLimits.DEFAULT.withMaxPeers(2), SwarmFirewall.ALLOW_ALL);
    h.join(topic);
    h.core.onServerConnection(new FakeLink(key(9), false), h.now);
    for (int p = 2; p < 6; p++) {
      h.found(p, topic);
    }
    assertEquals(1, h.dials.size());
    CompletableFuture<Boolean> flushed = h.core.flush();
    assertFalse(flushed.isDone(), "a dial is pending");
    h.core.onClientOpened(h.lastDial(), h.now);
    assertEquals(true, flushed.getNow(null), "at the peer limit with no dial pending, a flush is done");
    assertEquals(1, h.dials.size());
  }

  @Test
  void shouldDialRetriedPeerBeforeNewOnesWhenBothWait() {
    CoreHarness h = new CoreHarness(key(1), SwarmLimits.DEFAULT.withMaxParallel(1), SwarmFirewall.ALLOW_ALL);
    h.join(topic);
    h.found(2, topic);
    h.core.onClientOpened(h.lastDial(), h.now);
    h.core.onClientClosed(h.lastDial(), h.now);
    h.found(3, topic);
    h.core.onClientOpened(h.lastDial(), h.now);
    for (int p = 4; p < 10; p++) {
      h.found(p, topic);
    }
    h.advance(1320); // peer 2 is queued again, with attempts 1: very high priority
    h.core.onClientClosed(h.lastDial(), h.now);
    assertEquals(key(2), h.lastDial().remote);
  }

  @Test
  void shouldCompleteFlushWhenQueuedDialsSettle() {
    CoreHarness h = new CoreHarness(key(1), SwarmLimits.DEFAULT.withMaxParallel(1), SwarmFirewall.ALLOW_ALL);
    h.join(topic);
    h.found(2, topic);
    h.found(3, topic);
    CompletableFuture<Boolean> flushed = h.core.flush();
    assertFalse(flushed.isDone());
    h.core.onClientOpened(h.dials.get(0), h.now);
    assertFalse(flushed.isDone());
    h.core.onClientClosed(h.dials.get(1), h.now);
    assertEquals(true, flushed.getNow(null));
    assertEquals(true, h.core.flush().getNow(null));
  }

  @Test
  void shouldFailPendingFlushAndRefuseConnectionsWhenDestroyed() {
    CoreHarness h = onePeerFound();
    CompletableFuture<Boolean> flushed = h.core.flush();
    h.core.destroy();
    assertEquals(false, flushed.getNow(null));
    assertTrue(h.core.destroyed());
    FakeLink late = new FakeLink(key(3), false);
    h.core.onServerConnection(late, h.now);
    assertEquals(SwarmException.Code.DESTROYED, late.destroyedWith.code());
    h.core.onClientClosed(h.lastDial(), h.now);
    h.advance(60_000);
    assertEquals(1, h.dials.size());
  }

  @Test
  void shouldIgnoreUnknownLinksWhenTheyReportEvents() {
    CoreHarness h = new CoreHarness(1);
    FakeLink stray = new FakeLink(key(2), true);
    h.core.onClientOpened(stray, h.now);
    h.core.onClientClosed(stray, h.now);
    h.core.onServerClosed(stray, h.now);
    h.core.leavePeer(key(5).bytes());
    assertTrue(h.connections.isEmpty());
    assertEquals(new SwarmStats(0, 0, 0, 0, 0, 0, 0, 0), h.core.stats());
  }

  @Test
  void shouldForgetServerPeerWhenItsConnectionCloses() {
    CoreHarness h = new CoreHarness(1);
    FakeLink in = new FakeLink(key(2), false);
    h.core.onServerConnection(in, h.now);
    assertSame(in, h.core.connectionTo(key(2)));
    assertFalse(h.core.peer(key(2)).client());
    h.core.onServerClosed(in, h.now);
    assertNull(h.core.peer(key(2)));
    assertNull(h.core.connectionTo(key(2)));
    assertEquals(1, h.core.stats().serverOpened());
    assertEquals(1, h.core.stats().serverClosed());
  }

  @Test
  void shouldIgnoreDiscoveredPeersWhenPeerTableIsFull() {
    CoreHarness h = CoreHarness.foundRange(SwarmLimits.DEFAULT.withMaxKnownPeers(2), topic, 2, 6);
    assertEquals(2, h.core.knownPeers());
    assertEquals(2, h.dials.size());
    h.core.onServerConnection(new FakeLink(key(9), false), h.now);
    assertEquals(3, h.core.knownPeers(), "a proven connection is always recorded");
    assertEquals(1, List.copyOf(h.connections).size());
  }
}
