package io.hyperinfer.swarm;

import java.util.concurrent.CompletableFuture;

/**
 * One {@link Swarm#join} of a topic (JS {@code PeerDiscoverySession}): whether this session announces (server) and
 * looks up (client). A topic is announced while any session is a server and looked up while any is a client; it is
 * left when its last session is destroyed. Thread-safe (its work runs on the swarm loop).
 */
public final class JoinSession {
  private final TopicDiscovery discovery;
  private boolean server;
  private boolean client;
  private boolean destroyed;

  JoinSession(TopicDiscovery discovery) {
    this.discovery = discovery;
  }

  /** Sets the roles (on the loop) without starting a refresh. */
  void set(boolean server, boolean client) {
    if (!server && !client) {
      throw new SwarmException(SwarmException.Code.BAD_ARGUMENT, "a join is a server, a client or both");
    }
    if (client != this.client) {
      this.client = client;
      discovery.clientSessions += client ? 1 : -1;
    }
    if (server != this.server) {
      this.server = server;
      discovery.serverSessions += server ? 1 : -1;
    }
  }

  public byte[] topic() {
    return discovery.topic();
  }

  public synchronized boolean isServer() {
    return server;
  }

  public synchronized boolean isClient() {
    return client;
  }

  /**
   * JS {@code session.refresh({server, client})}: changes the roles if asked and announces or looks up again, with no
   * peer limit (as JS, whose {@code limit} defaults to none on every refresh). Completes true when that announce or
   * lookup finished, false when it failed.
   */
  public CompletableFuture<Boolean> refresh(boolean server, boolean client) {
    return refresh(server, client, TopicDiscovery.UNLIMITED);
  }

  /**
   * JS {@code session.refresh({server, client, limit})}: as {@link #refresh(boolean, boolean)}, and from now on each
   * refresh of the topic (whichever session asks) hands at most {@code limit} peers to the swarm (see
   * {@link Swarm#join(byte[], boolean, boolean, int)}).
   */
  public CompletableFuture<Boolean> refresh(boolean server, boolean client, int limit) {
    int checked = Swarm.checkLimit(limit);
    return discovery.swarmLoopCall(() -> {
      if (destroyed) {
        throw new SwarmException(SwarmException.Code.DESTROYED, "the join session is destroyed");
      }
      synchronized (this) {
        set(server, client);
      }
      discovery.limit(checked);
      return discovery.refresh();
    });
  }

  /** Refreshes with the current roles and no peer limit. */
  public CompletableFuture<Boolean> refresh() {
    return refresh(isServer(), isClient());
  }

  /** Completes once the announce or lookup running now is done (true) or failed (false). */
  public CompletableFuture<Boolean> flushed() {
    return discovery.swarmLoopCall(discovery::flushed);
  }

  /** Ends this session; the topic is left when no session remains. */
  public CompletableFuture<Void> destroy() {
    return discovery.swarmLoopCall(() -> {
      if (destroyed) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      destroyed = true;
      synchronized (this) {
        if (client) {
          discovery.clientSessions--;
        }
        if (server) {
          discovery.serverSessions--;
        }
      }
      discovery.sessionEnded(this);
      return CompletableFuture.<Void>completedFuture(null);
    });
  }
}
