package io.hyperinfer.swarm;

import static io.hyperinfer.swarm.CoreHarness.key;
import static io.hyperinfer.swarm.CoreHarness.topic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The core's suspend/resume, dial aborts and forced relaying, on virtual time. */
class SwarmCoreLifecycleTest {
  private final byte[] topic = topic(0xAA);
  private final byte[] other = topic(0xBB);

  /** Peers 2 and 3 found on the topic: the dial to 2 opened, the one to 3 is in flight. */
  private CoreHarness oneOpenOnePending() {
    CoreHarness h = CoreHarness.foundRange(SwarmLimits.DEFAULT, topic, 2, 4);
    h.core.onClientOpened(h.dials.get(0), h.now);
    return h;
  }

  @Test
  void shouldDestroyEveryConnectionAndDialNothingWhenSuspended() {
    CoreHarness h = oneOpenOnePending();
    FakeLink opened = h.dials.get(0);
    FakeLink pending = h.dials.get(1);
    FakeLink served = new FakeLink(key(9), false);
    h.core.onServerConnection(served, h.now);

    List<Link> destroyed = h.core.suspend();

    assertEquals(3, destroyed.size());
    for (FakeLink l : List.of(opened, pending, served)) {
      assertEquals(SwarmException.Code.SUSPENDED, l.destroyedWith.code(), l.toString());
    }
    h.core.onClientClosed(opened, h.now);
    h.core.onClientClosed(pending, h.now);
    h.core.onServerClosed(served, h.now);
    h.found(5, topic);
    h.advance(60_000);
    assertEquals(2, h.dials.size(), "no dial and no retry while suspended");
    FakeLink incoming = new FakeLink(key(7), false);
    h.core.onServerConnection(incoming, h.now);
    assertEquals(SwarmException.Code.SUSPENDED, incoming.destroyedWith.code());
    assertTrue(h.core.suspended());
    assertTrue(h.core.suspend().isEmpty(), "a second suspend does nothing");
  }

  @Test
  void shouldFailPendingFlushAndForgetTheQueueWhenSuspended() {
    CoreHarness h = CoreHarness.foundRange(SwarmLimits.DEFAULT.withMaxParallel(1), topic, 2, 5);
    assertEquals(1, h.dials.size());
    assertEquals(2, h.core.queued());
    CompletableFuture<Boolean> flushed = h.core.flush();
    h.core.suspend();
    assertEquals(false, flushed.getNow(null));
    assertEquals(0, h.core.queued(), "the queue starts afresh");
    h.core.onClientClosed(h.lastDial(), h.now);
    h.core.resume(h.now);
    assertEquals(1, h.dials.size(), "the dropped peers wait for the next lookup to find them");
    h.found(3, topic);
    assertEquals(2, h.dials.size());
    assertEquals(key(3), h.lastDial().remote);
  }

  @Test
  void shouldRedialExplicitPeerWhenResumed() {
    CoreHarness h = new CoreHarness(1);
    h.core.joinPeer(key(2).bytes(), h.now);
    h.core.onClientOpened(h.lastDial(), h.now);
    h.core.suspend();
    h.core.onClientClosed(h.lastDial(), h.now);
    h.advance(60_000);
    assertEquals(1, h.dials.size());
    h.core.resume(h.now);
    assertEquals(2, h.dials.size());
    assertEquals(key(2), h.lastDial().remote);
    assertFalse(h.core.suspended());
    h.core.resume(h.now);
    assertEquals(2, h.dials.size(), "resuming twice dials nothing more");
  }

  @Test
  void shouldAbortPendingDialButKeepOpenConnectionWhenPeerIsBanned() {
    CoreHarness h = oneOpenOnePending();
    FakeLink opened = h.dials.get(0);
    FakeLink pending = h.dials.get(1);
    h.core.ban(key(3).bytes(), true, new SwarmException(SwarmException.Code.FIREWALLED, "test"));
    h.core.ban(key(2).bytes(), true, new SwarmException(SwarmException.Code.FIREWALLED, "test"));
    assertEquals(SwarmException.Code.FIREWALLED, pending.destroyedWith.code());
    assertFalse(opened.destroyed(), "JS keeps an open connection to a peer banned later");
    h.core.onClientClosed(pending, h.now);
    h.advance(60_000);
    assertEquals(2, h.dials.size(), "a banned peer is not retried");
  }

  @Test
  void shouldAbandonPendingDialWhenItsOnlyTopicIsLeft() {
    CoreHarness h = new CoreHarness(1);
    h.join(topic);
    h.join(other);
    h.found(2, topic);
    h.found(3, topic);
    h.found(3, other);
    h.found(4, topic);
    h.core.joinPeer(key(4).bytes(), h.now);
    assertEquals(3, h.dials.size());

    h.leave(topic);
    h.core.abandonUnwanted();

    assertEquals(SwarmException.Code.ABANDONED, h.dials.get(0).destroyedWith.code());
    assertFalse(h.dials.get(1).destroyed(), "still wanted on the other topic");
    assertFalse(h.dials.get(2).destroyed(), "still an explicit peer");
  }

  @Test
  void shouldAbandonPendingDialWhenExplicitPeerIsLeft() {
    CoreHarness h = new CoreHarness(1);
    h.core.joinPeer(key(2).bytes(), h.now);
    h.core.leavePeer(key(2).bytes());
    assertEquals(SwarmException.Code.ABANDONED, h.lastDial().destroyedWith.code());
    h.core.onClientClosed(h.lastDial(), h.now);
    h.advance(60_000);
    assertEquals(1, h.dials.size());
    assertNull(h.core.peer(key(2)), "nothing keeps the peer");
  }

  @Test
  void shouldAbortPendingDialsWhenDestroyed() {
    CoreHarness h = oneOpenOnePending();
    h.core.destroy();
    assertFalse(h.dials.get(0).destroyed(), "open connections are the shell's to end");
    assertEquals(SwarmException.Code.DESTROYED, h.dials.get(1).destroyedWith.code());
    assertTrue(h.core.suspend().isEmpty(), "a destroyed core is not suspended");
  }

  @Test
  void shouldForceRelayAndRetrySoonWhenAPunchCannotWork() {
    CoreHarness h = new CoreHarness(CoreHarness.key(1), SwarmLimits.DEFAULT, SwarmFirewall.ALLOW_ALL, true);
    h.join(topic);
    h.found(2, topic);
    h.core.onClientClosed(h.lastDial(), h.now);
    h.advance(60_000);
    h.core.onClientClosed(h.lastDial(), h.now);
    PeerInfo peer = h.core.peer(key(2));
    assertEquals(2, peer.attempts());
    assertFalse(peer.forceRelaying());
    h.advance(60_000);
    assertEquals(3, h.dials.size());
    h.lastDial().needsRelay = true;
    h.core.onClientClosed(h.lastDial(), h.now);
    assertTrue(peer.forceRelaying());
    assertEquals(1, peer.attempts(), "reset, then the failed dial counted: retried at top priority");
    h.advance(60_000);
    assertEquals(4, h.dials.size());
  }

  @Test
  void shouldNotForceRelayWhenNoRelayIsConfigured() {
    CoreHarness h = CoreHarness.foundRange(SwarmLimits.DEFAULT, topic, 2, 3);
    h.lastDial().needsRelay = true;
    h.core.onClientClosed(h.lastDial(), h.now);
    assertFalse(h.core.peer(key(2)).forceRelaying());
  }
}
