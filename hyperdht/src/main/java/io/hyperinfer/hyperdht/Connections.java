package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.NodeListener;
import io.hyperinfer.dht.udx.UdxRuntime;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.udx.UdxSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a node's servers and connects share (the connection half of JS {@code HyperDHT}): the node, its UDX sockets,
 * the raw streams opened for connections, the relay-address cache, the servers listening, and the connect attempts
 * in flight. Thread-safe.
 */
final class Connections {
  final HyperDht dht;
  private final RequestService service;
  final DhtNode node;
  final UdxRuntime runtime;
  final RawStreams rawStreams;
  final RelayAddressCache relayAddresses = new RelayAddressCache();
  final Set<HyperDhtServer> servers = ConcurrentHashMap.newKeySet();
  final Set<ConnectAttempt> attempts = ConcurrentHashMap.newKeySet();
  final PunchStats punchStats = new PunchStats();
  final RelayStats relayStats = new RelayStats();
  final UdxPunchHost punchHost;

  Connections(HyperDht dht, DhtNode node, UdxRuntime runtime, RequestService service) {
    this.dht = dht;
    this.service = service;
    this.node = node;
    this.runtime = runtime;
    this.rawStreams = new RawStreams(runtime.udx());
    this.punchHost = new UdxPunchHost(node, runtime.udx(),
        new RandomPunches(RandomPunches.DEFAULT_INTERVAL_MS, Long.MIN_VALUE), punchStats);
    node.addListener(new NodeListener() {
      @Override
      public void onNetworkChange() {
        refreshServers();
      }
    });
  }

  /** JS {@code dht.on('network-change')}: every listening server announces again after its current relay check. */
  void refreshServers() {
    for (HyperDhtServer s : servers) {
      s.refresh();
    }
  }

  KeyPair defaultKeyPair() {
    return dht.defaultKeyPair();
  }

  /** The UDX socket under one of the node's sockets. */
  UdxSocket udxSocket(DhtSocket socket) {
    return socket == runtime.serverSocket() ? runtime.udxServerSocket() : runtime.udxClientSocket();
  }

  /** The socket the node sends its requests from now (JS {@code dht.socket}). */
  UdxSocket currentSocket() {
    return udxSocket(node.socket());
  }

  /**
   * Closes every server (waiting up to {@code waitMs} for their unannounces), fails every connect in flight and
   * tears down every raw stream: the node is closing.
   */
  void closeAll(long waitMs) {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (HyperDhtServer s : servers) {
      closing.add(s.closeAsync());
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(waitMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // the node closes anyway; relays that did not answer keep the record until it expires
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ConnectAttempt a : attempts) {
      a.abort();
    }
    rawStreams.destroyAll();
  }

  /** The relay a persistent node's own router knows for {@code target} (JS {@code _router.get(target).relay}). */
  HostPort routeRelay(byte[] target) {
    if (node.ephemeral()) {
      return null; // only a persistent node holds routes; skip the hop onto the loop
    }
    return dht.onLoop(() -> service.router().get(Bytes32.of(target)).map(Route::relay).orElse(null));
  }

  /** Counters across the node's servers and connects. */
  ConnectionStats stats() {
    int pending = 0;
    int settled = 0;
    long refused = 0;
    long accepted = 0;
    for (HyperDhtServer s : servers) {
      ConnectionStats.Server st = s.stats();
      pending += st.pendingHandshakes();
      settled += st.settledHandshakes();
      refused += st.refusedHandshakes();
      accepted += st.connections();
    }
    return new ConnectionStats(rawStreams.size(), attempts.size(), servers.size(), pending, settled, refused, accepted,
        relayAddresses.size());
  }
}
