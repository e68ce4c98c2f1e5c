package io.hyperinfer.worker.net.swarm;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls by public key over a {@link Swarm}'s connections: one connection per peer pair, deduplicated by the swarm's
 * rule so both ends keep the same one, used by both directions (each connection carries one RPC channel that our
 * handlers answer and our calls leave on, {@link HyperswarmRpcServer#share}), and kept up by the swarm: a peer we
 * called is an explicit peer ({@code joinPeer}), redialled with the swarm's backoff when its connection closes, and a
 * restarted peer that dials us replaces a dead connection (the swarm's dedup keeps the newcomer once the old one had
 * carried bytes both ways). Topics are never joined here: discovery stays plain lookups, so a topic request dials
 * only the announcer it picks. A call with no connection waits for one up to the connect timeout, or until the
 * swarm's dial to that key fails. Thread-safe; the swarm's events arrive on its loop and only hand over.
 */
final class SwarmLinks implements SwarmListener {
  private final Map<PeerRef, RpcClient> clients = new ConcurrentHashMap<>();
  private final Map<PeerRef, CompletableFuture<RpcClient>> waiting = new ConcurrentHashMap<>();
  private final HyperswarmRpcServer server;
  private final Duration connectTimeout;
  private volatile Swarm swarm;

  SwarmLinks(HyperswarmRpcServer server, Duration connectTimeout) {
    this.server = server;
    this.connectTimeout = connectTimeout;
  }

  /** The swarm whose events come here (set once, right after it is created with this listener). */
  void bind(Swarm s) {
    swarm = s;
  }

  /**
   * The open client to {@code peer}, now or once the swarm connects it (fails with the dial's error, or a
   * {@link TimeoutException} after the connect timeout). Asking makes {@code peer} an explicit peer of the swarm.
   */
  CompletableFuture<RpcClient> client(PeerRef peer) {
    Swarm s = swarm;
    if (java.util.Arrays.equals(peer.publicKey(), s.publicKey())) {
      return CompletableFuture.failedFuture(new SwarmException(SwarmException.Code.BAD_KEY,
          "a worker does not call itself over the network"));
    }
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
      }
    }
    s.joinPeer(peer.publicKey());
    return wait.thenCompose(c -> c != null ? CompletableFuture.completedFuture(c)
        : CompletableFuture.failedFuture(new TimeoutException("no connection to " + peer.hex() + " within "
            + connectTimeout.toMillis() + " ms")));
  }

  /** Open connections now, one per peer. */
  int size() {
    return (int) clients.values().stream().filter(c -> !c.isClosed()).count();
  }

  /** On the swarm loop: the connection gets its RPC channel (a reader of its own), callers waiting for it go on. */
  @Override
  public void onConnection(SwarmConnection connection, PeerInfo info) {
    PeerRef peer = new PeerRef(connection.remotePublicKey());
    RpcClient client = server.share(connection.stream());
    clients.put(peer, client);
    client.closed().whenComplete((v, e) -> clients.remove(peer, client));
    CompletableFuture<RpcClient> wait = waiting.remove(peer);
    if (wait != null) {
      wait.complete(client);
    }
  }

  /** On the swarm loop: callers waiting for this key hear why now, not at their timeout. */
  @Override
  public void onDialFailed(PeerInfo info, Throwable cause) {
    CompletableFuture<RpcClient> wait = waiting.remove(new PeerRef(info.publicKey()));
    if (wait != null) {
      wait.completeExceptionally(cause);
    }
  }

  /** Fails the callers still waiting (the swarm is closing). */
  void close() {
    for (PeerRef peer : waiting.keySet()) {
      CompletableFuture<RpcClient> wait = waiting.remove(peer);
      if (wait != null) {
        wait.complete(null);
      }
    }
  }
}
