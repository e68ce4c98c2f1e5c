package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.ConnectOptions;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtOptions;
import io.hyperinfer.hyperdht.ServerOptions;
import io.hyperinfer.rpc.HyperswarmRpc;
import io.hyperinfer.rpc.HyperswarmRpcOptions;
import io.hyperinfer.rpc.HyperswarmRpcServer;
import io.hyperinfer.swarm.Swarm;
import io.hyperinfer.swarm.SwarmLimits;
import io.hyperinfer.swarm.SwarmOptions;
import io.hyperinfer.worker.WorkerException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one {@link SwarmNetFacility} runs on between its start and stop: the HyperDHT node (its own, bound and
 * bootstrapped here, or one it shares), the @hyperswarm/rpc on it with the worker's key pair (which serves and
 * connects: one key for the RPC server, the DHT and the firewall), and the RPC server, created but not yet listening;
 * with {@code connections=swarm} also a {@link Swarm} with the same key, whose server takes the key's connections
 * instead of the RPC server's and whose connections carry calls both ways ({@link SwarmLinks}). The transport and the
 * discovery read it. Thread-safe.
 */
final class SwarmNode {
  private static final Logger LOG = LoggerFactory.getLogger(SwarmNode.class);
  /**
   * The swarm's limits: every connection counts against {@code maxPeers}, inbound ones (clients) included, and past it
   * the swarm dials no one, so it is sized for a gateway's clients rather than JS's 64; dials at once as JS.
   */
  private static final SwarmLimits SWARM_LIMITS = SwarmLimits.DEFAULT.withMaxPeers(4096);
  private final HyperDht shared;
  private final UnreachablePeers unreachable = new UnreachablePeers(Clock.systemUTC());
  private volatile HyperDht dht;
  private volatile HyperswarmRpc rpc;
  private volatile HyperswarmRpcServer server;
  private volatile Swarm swarm;
  private volatile SwarmLinks links;
  private volatile KeyPair identity;
  private volatile SwarmSettings settings = SwarmSettings.DEFAULT;

  /** On {@code shared} (null: a node of its own at each start). */
  SwarmNode(HyperDht shared) {
    this.shared = shared;
  }

  boolean ownsNode() {
    return shared == null;
  }

  /**
   * Binds and bootstraps the node unless shared, then sets up the RPC on it as {@code keys}. Fails with a
   * {@link WorkerException} whose message is one sentence: PORT_UNAVAILABLE, BOOTSTRAP_UNREACHABLE.
   */
  void open(SwarmSettings s, KeyPair keys) {
    HyperDht node = shared != null ? shared : startNode(s, keys);
    settings = s;
    identity = keys;
    dht = node;
    HyperswarmRpc r = new HyperswarmRpc(node, HyperswarmRpcOptions.DEFAULT.withKeyPair(keys)
        .withPoolLinger(s.poolLinger())
        .withConnect(HyperswarmRpcOptions.DEFAULT.connect().withTimeout(s.connectTimeout())
            .withHandshakeTimeout(s.handshakeTimeout()).withKeepAlive(s.keepAlive())));
    rpc = r;
    ServerOptions accepting = ServerOptions.DEFAULT.withKeepAlive(s.keepAlive());
    server = r.createServer(HyperswarmRpcServer.Options.DEFAULT.withDht(accepting));
    if (s.connections() == SwarmSettings.Connections.SWARM) {
      SwarmLinks l = new SwarmLinks(server, s.connectTimeout(), s.idleTimeout());
      Swarm w = Swarm.create(node, SwarmOptions.DEFAULT.withKeyPair(keys).withLimits(SWARM_LIMITS)
          .withServer(accepting).withConnect(ConnectOptions.DEFAULT.withTimeout(s.connectTimeout())
              .withHandshakeTimeout(s.handshakeTimeout()).withKeepAlive(s.keepAlive())), l);
      l.bind(w);
      links = l;
      swarm = w;
    }
  }

  /** Closes the RPC (its server unannounces, its connections close) and the node if it is ours. Idempotent. */
  void close() {
    HyperswarmRpc r = rpc;
    HyperDht node = dht;
    Swarm w = swarm;
    SwarmLinks l = links;
    swarm = null;
    links = null;
    if (w != null) {
      quietly("closing the swarm and its connections", w::close);
      l.close();
    }
    rpc = null;
    server = null;
    dht = null;
    if (r != null) {
      quietly("closing the RPC server and connections", r::close);
    }
    if (node != null && shared == null) {
      quietly("closing the DHT node", node::close);
    }
  }

  /** Runs {@code step}; a node whose sockets are already gone cannot unannounce, and records expire on their own. */
  private static void quietly(String step, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("{} failed: {}", step, e.toString());
    }
  }

  HyperDht dht() {
    return require(dht);
  }

  HyperswarmRpc rpc() {
    return require(rpc);
  }

  HyperswarmRpcServer server() {
    return require(server);
  }

  /** The swarm whose connections carry calls both ways, or null when calls go through the RPC's pool. */
  Swarm swarm() {
    return swarm;
  }

  /** Calls over the swarm's connections, or null when calls go through the RPC's pool. */
  SwarmLinks links() {
    return links;
  }

  /** Where clients can reach our server through: the swarm's server, else the RPC server. */
  List<HostPort> relayAddresses() {
    Swarm w = swarm;
    return w != null ? w.relayAddresses() : server().relayAddresses();
  }

  /** Peers our connects failed to reach lately (kept across restarts: they are about the network, not us). */
  UnreachablePeers unreachable() {
    return unreachable;
  }

  KeyPair identity() {
    return require(identity);
  }

  SwarmSettings settings() {
    return settings;
  }

  /** The node while open, else null. */
  HyperDht current() {
    return dht;
  }

  private static <T> T require(T value) {
    if (value == null) {
      throw WorkerException.illegalState("the swarm net facility is not started");
    }
    return value;
  }

  private static HyperDht startNode(SwarmSettings s, KeyPair keys) {
    HyperDht node;
    try {
      node = HyperDht.create(HyperDhtOptions.DEFAULT.withHost(s.host()).withPort(s.port()).withAnyPort(s.port() == 0)
          .withBootstrap(s.bootstrap()).withMode(s.mode()).withKeyPair(keys));
    } catch (DhtException e) {
      throw portUnavailable(s, e);
    }
    try {
      node.ready().get(s.bootstrapTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (node.node().tableSize() == 0) {
        throw unreachable(s, null);
      }
      return node;
    } catch (ExecutionException | TimeoutException e) {
      node.close();
      throw unreachable(s, e);
    } catch (InterruptedException e) {
      node.close();
      Thread.currentThread().interrupt();
      throw unreachable(s, e);
    } catch (WorkerException e) {
      node.close();
      throw e;
    }
  }

  private static WorkerException portUnavailable(SwarmSettings s, DhtException e) {
    String where = s.port() == 0 ? "a UDP port on " + s.host() + " (config key " + SwarmSettings.SECTION + ".host)"
        : "UDP port " + s.port() + " on " + s.host() + " (config key " + SwarmSettings.SECTION + ".port)";
    String sentence = s.port() == 0
        ? "cannot bind " + where + ": set it to an address of this machine, such as 127.0.0.1"
        : "cannot bind " + where + ": it is in use or not an address of this machine; stop the program using it, "
            + "choose another port, or 0 for any free one";
    return new WorkerException(WorkerException.Code.PORT_UNAVAILABLE, sentence, e);
  }

  private static WorkerException unreachable(SwarmSettings s, Throwable cause) {
    String nodes = s.bootstrap().stream().map(h -> h.host() + ":" + h.port()).collect(Collectors.joining(", "));
    return new WorkerException(WorkerException.Code.BOOTSTRAP_UNREACHABLE, "no DHT bootstrap node answered ("
        + nodes + ", config key " + SwarmSettings.SECTION + ".bootstrap): check the addresses and that the network "
        + "is running", cause);
  }
}
