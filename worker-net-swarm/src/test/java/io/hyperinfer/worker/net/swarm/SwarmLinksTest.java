package io.hyperinfer.worker.net.swarm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.hyperdht.HyperDhtException;
import io.hyperinfer.rpc.RpcClient;
import io.hyperinfer.swarm.SwarmException;
import io.hyperinfer.worker.net.PeerRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * What {@link SwarmLinks} does around a swarm's dials, deduplications and idle peers, against a recorded swarm (no
 * sockets), and the resend budget of {@link SwarmTransport}.
 */
class SwarmLinksTest {
  private static final long OPENED = 5_000_000_000L;

  @Test
  void shouldKeepOurDialWhenItOpenedUnderASecondAgoOrIsNotHandedOutYet() {
    assertTrue(SwarmLinks.fresh(null, OPENED), "a dial that opened but is not handed out yet");
    assertTrue(SwarmLinks.fresh(OPENED, OPENED + SwarmLinks.FRESH.toNanos() - 1));
    assertFalse(SwarmLinks.fresh(OPENED, OPENED + SwarmLinks.FRESH.toNanos()));
  }

  @Test
  void shouldKeepCallersWaitingWhenTheirDialLostADeduplication() {
    assertTrue(SwarmLinks.lostDeduplication(new CancellationException()));
    assertFalse(SwarmLinks.lostDeduplication(HyperDhtException.of(HyperDhtException.Code.PEER_CONNECTION_FAILED)),
        "no stream reached the peer: nothing says a connection is coming");
    assertFalse(SwarmLinks.lostDeduplication(HyperDhtException.of(HyperDhtException.Code.PEER_NOT_FOUND)));
    assertFalse(SwarmLinks.lostDeduplication(new IllegalStateException("closed")));
  }

  private static final byte[] SELF = key(1);
  private static final PeerRef PEER = new PeerRef(key(2));
  private final List<PeerRef> joined = new CopyOnWriteArrayList<>();
  private final List<PeerRef> left = new CopyOnWriteArrayList<>();

  private static byte[] key(int b) {
    byte[] k = new byte[32];
    k[0] = (byte) b;
    return k;
  }

  private SwarmLinks links(Duration idleTimeout) {
    SwarmLinks links = new SwarmLinks(null, Duration.ofSeconds(30), idleTimeout);
    links.bind(new SwarmLinks.SwarmOps(SELF, k -> joined.add(new PeerRef(k)), k -> left.add(new PeerRef(k))));
    return links;
  }

  @Test
  void shouldAskTheSwarmOnceAndFailEveryWaitingCallWhenTheDialFails() {
    SwarmLinks links = links(Duration.ZERO);
    List<CompletableFuture<RpcClient>> calls = List.of(links.client(PEER), links.client(PEER), links.client(PEER));
    assertEquals(List.of(PEER), joined, "one dial for the calls that wait together");
    HyperDhtException notFound = HyperDhtException.of(HyperDhtException.Code.PEER_NOT_FOUND);
    links.dialFailed(PEER, notFound);
    for (CompletableFuture<RpcClient> call : calls) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.SECONDS));
      assertSame(notFound, e.getCause());
    }
  }

  @Test
  void shouldKeepCallsWaitingWhenTheDialLostADeduplicationUntilClose() {
    SwarmLinks links = links(Duration.ZERO);
    CompletableFuture<RpcClient> call = links.client(PEER);
    links.dialFailed(PEER, new CancellationException());
    assertFalse(call.isDone(), "the surviving connection is on its way");
    links.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, e.getCause());
    ExecutionException after = assertThrows(ExecutionException.class, () -> links.client(PEER).get(1,
        TimeUnit.SECONDS));
    assertEquals(SwarmException.Code.DESTROYED, assertInstanceOf(SwarmException.class, after.getCause()).code());
  }

  @Test
  void shouldFailWaitingCallsAtOnceWhenTheDialNeverReachedThePeer() {
    SwarmLinks links = links(Duration.ZERO);
    CompletableFuture<RpcClient> call = links.client(PEER);
    HyperDhtException crashed = HyperDhtException.of(HyperDhtException.Code.PEER_CONNECTION_FAILED);
    links.dialFailed(PEER, crashed); // its relays' handshakes timed out: a crashed announcer
    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.SECONDS));
    assertSame(crashed, e.getCause());
  }

  @Test
  void shouldDialAgainAfterTheFreshWindowWhenAResendStillWaits() {
    SwarmLinks links = links(Duration.ZERO);
    CompletableFuture<RpcClient> resend = links.client(PEER, false);
    assertEquals(List.of(), joined, "a resend waits for the surviving connection first");
    await().atMost(Duration.ofSeconds(10)).until(() -> joined.equals(List.of(PEER)));
    assertFalse(resend.isDone());
    links.close();
  }

  @Test
  void shouldRefuseACallToItsOwnKey() {
    ExecutionException e = assertThrows(ExecutionException.class, () -> links(Duration.ZERO)
        .client(new PeerRef(SELF)).get(1, TimeUnit.SECONDS));
    assertEquals(SwarmException.Code.BAD_KEY, assertInstanceOf(SwarmException.class, e.getCause()).code());
    assertEquals(List.of(), joined);
  }

  @Test
  void shouldReleaseAPeerWhenNobodyCalledItForTheIdleTimeout() {
    SwarmLinks links = links(Duration.ofMillis(200));
    links.client(PEER);
    assertEquals(1, links.calledPeers());
    links.dialFailed(PEER, HyperDhtException.of(HyperDhtException.Code.PEER_NOT_FOUND));
    await().atMost(Duration.ofSeconds(10)).until(() -> left.equals(List.of(PEER)));
    assertEquals(0, links.calledPeers());
    links.client(PEER);
    assertEquals(1, links.calledPeers(), "a later call counts it again");
    links.close();
  }

  @Test
  void shouldKeepAPeerWhenACallStillWaitsForItsDialPastTheIdleTimeout() {
    SwarmLinks links = links(Duration.ofMillis(100));
    CompletableFuture<RpcClient> call = links.client(PEER);
    // a dial to a crashed peer outlasts the idle timeout: leaving then aborted it, and the call waited on for nothing
    CompletableFuture<Void> idleTwice = new CompletableFuture<>();
    CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> idleTwice.complete(null));
    idleTwice.join();
    assertEquals(List.of(), left);
    links.dialFailed(PEER, HyperDhtException.of(HyperDhtException.Code.PEER_NOT_FOUND));
    assertTrue(call.isCompletedExceptionally());
    await().atMost(Duration.ofSeconds(10)).until(() -> left.equals(List.of(PEER)));
    links.close();
  }

  @Test
  void shouldResendWithinTheFirstAttemptsTimeoutWhenResent() {
    assertEquals(null, SwarmTransport.remaining(null, 0));
    long now = System.nanoTime();
    assertEquals(Duration.ofMillis(1), SwarmTransport.remaining(Duration.ofSeconds(5), now - 1));
    Duration left = SwarmTransport.remaining(Duration.ofSeconds(5), now + Duration.ofSeconds(5).toNanos());
    assertTrue(left.compareTo(Duration.ofSeconds(4)) > 0 && left.compareTo(Duration.ofSeconds(5)) <= 0, left.toString());
  }
}
