package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.hyperdht.HyperDhtException;
import io.hyperinfer.rpc.HyperswarmRpcServer;
import io.hyperinfer.rpc.RpcClient;
import io.hyperinfer.swarm.PeerInfo;
import io.hyperinfer.swarm.Swarm;
import io.hyperinfer.swarm.SwarmConnection;
import io.hyperinfer.swarm.SwarmException;
import io.hyperinfer.swarm.SwarmListener;
import io.hyperinfer.worker.net.PeerRef;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Calls by public key over a {@link Swarm}'s connections: one connection per peer pair, deduplicated by the swarm's
 * rule so both ends keep the same one, used by both directions (each connection carries one RPC channel that our
 * handlers answer and our calls leave on, {@link HyperswarmRpcServer#share}), and kept up by the swarm: a peer we
 * called is an explicit peer ({@code joinPeer}) until nobody called it for the idle timeout, redialled with the
 * swarm's backoff when its connection closes, and a restarted peer that dials us replaces a dead connection (the
 * swarm's dedup keeps the newcomer once the old one had carried bytes both ways, except over one of our dials that
 * just opened: {@link #mayReplace}). Topics are never joined here: discovery stays plain lookups, so a topic request
 * dials only the announcer it picks. A call with no connection waits for one up to the connect timeout, or until the
 * swarm's dial to that key fails for a reason other than a deduplication. Thread-safe; the swarm's events arrive on
 * its loop and only hand over.
 */
final class SwarmLinks implements SwarmListener {
  /** How long one of our dials counts as just opened for {@link #mayReplace}: well over a pair's connect skew. */
  static final Duration FRESH = Duration.ofSeconds(1);

  private final Map<PeerRef, RpcClient> clients = new ConcurrentHashMap<>();
  private final Map<PeerRef, CompletableFuture<RpcClient>> waiting = new ConcurrentHashMap<>();
  private final Map<SwarmConnection, Long> dialsOpenedNs = new ConcurrentHashMap<>();
  private final Map<PeerRef, Long> lastCallNs = new ConcurrentHashMap<>();
  private final HyperswarmRpcServer server;
  private final Duration connectTimeout;
  private final Duration idleTimeout;
  private volatile SwarmOps swarm;
  private volatile boolean closed;

  /** {@code idleTimeout}: a peer we called is released this long after our last call to it (zero: never). */
  SwarmLinks(HyperswarmRpcServer server, Duration connectTimeout, Duration idleTimeout) {
    this.server = server;
    this.connectTimeout = connectTimeout;
    this.idleTimeout = idleTimeout;
  }

  /** What the links ask of the swarm: its key, and to keep or stop keeping a peer (a seam for unit tests). */
  record SwarmOps(byte[] publicKey, Consumer<byte[]> join, Consumer<byte[]> leave) {}

  /** The swarm whose events come here (set once, right after it is created with this listener). */
  void bind(Swarm s) {
    bind(new SwarmOps(s.publicKey(), s::joinPeer, s::leavePeer));
  }

  void bind(SwarmOps s) {
    swarm = s;
  }

  /**
   * The open client to {@code peer}, now or once the swarm connects it (fails with the dial's error, or a
   * {@link TimeoutException} after the connect timeout). The first call that finds no connection makes {@code peer}
   * an explicit peer of the swarm (which dials it at once); calls that come before the connection wait with it.
   */
  CompletableFuture<RpcClient> client(PeerRef peer) {
    return client(peer, true);
  }

  /**
   * As {@link #client(PeerRef)}; {@code dial} false waits for the next connection without asking the swarm to dial
   * at once (a resend after a deduplication: the surviving connection is on its way, or the swarm's retry brings it).
   */
  CompletableFuture<RpcClient> client(PeerRef peer, boolean dial) {
    if (closed) {
      return CompletableFuture.failedFuture(new SwarmException(SwarmException.Code.DESTROYED, "the swarm is closed"));
    }
    SwarmOps s = swarm;
    if (java.util.Arrays.equals(peer.publicKey(), s.publicKey())) {
      return CompletableFuture.failedFuture(new SwarmException(SwarmException.Code.BAD_KEY,
          "a worker does not call itself over the network"));
    }
    called(peer);
    RpcClient open = clients.get(peer);
    if (open != null && !open.isClosed()) {
      return CompletableFuture.completedFuture(open);
    }
    boolean[] created = {false};
    CompletableFuture<RpcClient> wait = waiting.computeIfAbsent(peer, p -> {
      created[0] = true;
      return new CompletableFuture<>();
    });
    if (created[0]) {
      wait.completeOnTimeout(null, connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete((c, e) -> waiting.remove(peer, wait));
      // a connection that came between the first look and the new waiter
      RpcClient raced = clients.get(peer);
      if (raced != null && !raced.isClosed()) {
        wait.complete(raced);
      } else if (dial) {
        s.join().accept(peer.publicKey()); // once per wait: the calls that come meanwhile wait for the same dial
      } else {
        dialAfterFresh(peer);
      }
    }
    return wait.thenCompose(c -> c != null ? CompletableFuture.completedFuture(c)
        : CompletableFuture.failedFuture(new TimeoutException("no connection to " + peer.hex() + " within "
            + connectTimeout.toMillis() + " ms")));
  }

  /**
   * Notes a call to {@code peer}; the first one since it was released arms its release. With no idle timeout nothing
   * is noted (peers stay explicit, bounded by the swarm's known peers), so the map holds only peers called within it.
   */
  private void called(PeerRef peer) {
    if (idleTimeout.isPositive() && lastCallNs.put(peer, System.nanoTime()) == null) {
      releaseWhenIdle(peer, idleTimeout.toNanos());
    }
  }

  /**
   * Leaves {@code peer} (the swarm's {@code leavePeer}: no more redials, an open connection stays) once nobody called
   * it for the idle timeout, so the explicit peers of a worker that called many are not kept until the swarm's bound.
   * A later call makes it explicit again when it finds no connection. Not while a call waits for a dial to it.
   */
  private void releaseWhenIdle(PeerRef peer, long afterNs) {
    CompletableFuture.delayedExecutor(afterNs, TimeUnit.NANOSECONDS).execute(() -> {
      Long last = lastCallNs.get(peer);
      if (closed || last == null) {
        return;
      }
      if (waiting.containsKey(peer)) {
        // a call still waits for a dial to it: leaving would abort that dial, which then reads as a lost tie-break
        releaseWhenIdle(peer, idleTimeout.toNanos());
        return;
      }
      long left = idleTimeout.toNanos() - (System.nanoTime() - last);
      if (left > 0 || !lastCallNs.remove(peer, last)) {
        releaseWhenIdle(peer, Math.max(left, 0));
        return;
      }
      swarm.leave().accept(peer.publicKey());
    });
  }

  /** Peers we called within the idle timeout. */
  int calledPeers() {
    return lastCallNs.size();
  }

  /** On the swarm loop: the connection gets its RPC channel (a reader of its own), callers waiting for it go on. */
  @Override
  public void onConnection(SwarmConnection connection, PeerInfo info) {
    PeerRef peer = new PeerRef(connection.remotePublicKey());
    if (connection.isInitiator()) {
      dialsOpenedNs.put(connection, System.nanoTime());
      connection.closed().whenComplete((v, e) -> dialsOpenedNs.remove(connection));
    }
    RpcClient client = server.share(connection.stream());
    clients.put(peer, client);
    client.closed().whenComplete((v, e) -> clients.remove(peer, client));
    CompletableFuture<RpcClient> wait = waiting.remove(peer);
    if (wait != null) {
      wait.complete(client);
    }
  }

  /**
   * On the swarm loop: JS's rule replaces a connection that carried bytes both ways, but one of our dials that opened
   * less than {@link #FRESH} ago is kept by the tie-break instead. The newcomer then is the peer's dial from the same
   * instant, sent before ours reached it and given up by the peer for ours by that same tie-break (the higher key's
   * dial survives); replacing ours would close both (the flap). A genuine redial from a peer that lost a fresh
   * connection is refused once and gets through when its callers dial again ({@link #dialAfterFresh}).
   */
  @Override
  public boolean mayReplace(SwarmConnection existing) {
    return !existing.isInitiator() || !fresh(dialsOpenedNs.get(existing), System.nanoTime());
  }

  /** Whether a dial handed out at {@code openedNs} (null: not handed out yet) is still fresh at {@code nowNs}. */
  static boolean fresh(Long openedNs, long nowNs) {
    return openedNs == null || nowNs - openedNs < FRESH.toNanos();
  }

  /**
   * On the swarm loop: callers waiting for this key hear why now, not at their timeout, unless the dial lost a
   * deduplication ({@link #lostDeduplication}): our swarm gave it up for the peer's connection (cancelled), or the
   * peer answered, took the stream and closed it before its first bytes (it keeps its own dial to us, which is on its
   * way, or a fresh one of its own). Those callers wait for the surviving connection, and dial again after
   * {@link #FRESH} if it has not come.
   */
  @Override
  public void onDialFailed(PeerInfo info, Throwable cause) {
    dialFailed(new PeerRef(info.publicKey()), cause);
  }

  void dialFailed(PeerRef peer, Throwable cause) {
    if (lostDeduplication(cause)) {
      if (waiting.containsKey(peer)) {
        dialAfterFresh(peer);
      }
      return;
    }
    CompletableFuture<RpcClient> wait = waiting.remove(peer);
    if (wait != null) {
      wait.completeExceptionally(cause);
    }
  }

  /**
   * Dials {@code peer} again once a fresh dial of its would no longer be kept over ours ({@link #mayReplace}), if
   * callers still wait: the surviving connection of a deduplication usually comes first, but a peer that kept a
   * dead connection as fresh (we restarted within {@link #FRESH} of its dial) takes ours only then, and the swarm's
   * own retry after a refused dial can be 5 s away.
   */
  private void dialAfterFresh(PeerRef peer) {
    CompletableFuture.delayedExecutor(FRESH.toMillis() + 100, TimeUnit.MILLISECONDS).execute(() -> {
      if (!closed && waiting.containsKey(peer)) {
        swarm.join().accept(peer.publicKey());
      }
    });
  }

  /**
   * A dial that failed because the pair keeps another connection, not because the peer cannot be reached: cancelled
   * by our swarm (it took the peer's connection instead), or {@code PEER_CONNECTION_FAILED} after a stream to the
   * peer was connected (its trace has a path: the peer answered the handshake, so it is alive, and closed the stream
   * before its first bytes, as the loser of a deduplication is closed). The same code with no path is a peer that
   * never answered, such as a crashed announcer whose records outlive it: no connection is coming.
   */
  static boolean lostDeduplication(Throwable cause) {
    return cause instanceof CancellationException
        || cause instanceof HyperDhtException h && h.code() == HyperDhtException.Code.PEER_CONNECTION_FAILED
            && h.trace() != null && h.trace().path() != null;
  }

  /** Fails the callers still waiting (the swarm is closing). */
  void close() {
    closed = true;
    for (PeerRef peer : waiting.keySet()) {
      CompletableFuture<RpcClient> wait = waiting.remove(peer);
      if (wait != null) {
        wait.complete(null);
      }
    }
  }
}
