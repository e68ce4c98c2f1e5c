package io.hyperinfer.swarm;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.HyperDhtServer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The swarm's HyperDHT server across suspends (JS {@code swarm.server} with its {@code suspend}/{@code resume}): a
 * suspend closes it (unannouncing our key) and makes the next one, which listens on resume if the old one listened,
 * once the old one finished closing (a key pair serves one server at a time). Thread-safe.
 */
final class SwarmServer {
  private final Supplier<HyperDhtServer> factory;
  private final KeyPair keyPair;
  private HyperDhtServer server;
  private CompletableFuture<Void> listening;
  private CompletableFuture<Void> previousClosed = CompletableFuture.completedFuture(null);
  private boolean suspended;
  private boolean relisten;

  SwarmServer(Supplier<HyperDhtServer> factory, KeyPair keyPair) {
    this.factory = factory;
    this.keyPair = keyPair;
    this.server = factory.get();
  }

  /** Listens (once); fails with {@code SUSPENDED} while suspended. */
  synchronized CompletableFuture<Void> listen() {
    if (suspended) {
      return CompletableFuture.failedFuture(new SwarmException(SwarmException.Code.SUSPENDED,
          "the swarm is suspended"));
    }
    if (listening == null) {
      HyperDhtServer s = server;
      listening = previousClosed.thenCompose(v -> s.listen(keyPair));
    }
    return listening;
  }

  /** The listen started, or null. */
  synchronized CompletableFuture<Void> listening() {
    return listening;
  }

  synchronized List<HostPort> relayAddresses() {
    return server.relayAddresses();
  }

  /** Closes the server and makes the next one; completes when the old one closed. */
  synchronized CompletableFuture<Void> suspend() {
    if (suspended) {
      return previousClosed;
    }
    suspended = true;
    relisten = listening != null;
    listening = null;
    HyperDhtServer old = server;
    server = factory.get();
    previousClosed = old.closeAsync().exceptionally(e -> null);
    return previousClosed;
  }

  /** Listens again if the server listened before the suspend. */
  CompletableFuture<Void> resume() {
    synchronized (this) {
      if (!suspended) {
        return CompletableFuture.completedFuture(null);
      }
      suspended = false;
      if (!relisten) {
        return CompletableFuture.completedFuture(null);
      }
    }
    return listen();
  }

  void close() {
    HyperDhtServer s;
    synchronized (this) {
      s = server;
    }
    s.close();
  }
}
