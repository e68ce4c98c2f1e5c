package io.hyperinfer.dht.internal;

import io.hyperinfer.dht.Commands;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.NodeListener;
import io.hyperinfer.dht.Peer;
import io.hyperinfer.dht.Response;
import io.hyperinfer.dht.wire.NodeId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Bootstrap and reachability (dht-rpc {@code index.js _bootstrap, _updateNetworkState, _checkIfFirewalled}): the
 * first walks, the quick firewall probe, the PING_NAT check that the server socket is reachable from several nodes,
 * and the switch to persistent with an id from the sampled address. Confined to the loop thread.
 */
final class NetworkCheck {
  /** Nodes asked to PING_NAT us in a firewall check. */
  static final int PROBE_NODES = 5;
  private static final int MAX_PROBE_HOSTS = 1024;

  private final NodeCore node;
  private final List<Set<String>> probes = new ArrayList<>();
  String lastHost;

  NetworkCheck(NodeCore node) {
    this.node = node;
  }

  /** Records the host of a datagram that reached the server socket, for firewall checks in progress. */
  void sawOnServerSocket(String host) {
    for (Set<String> hosts : probes) {
      if (hosts.size() < MAX_PROBE_HOSTS) {
        hosts.add(host);
      }
    }
  }

  void bootstrap() {
    boolean[] first = {node.firewalled && node.options.quickFirewall() && !node.forcePersistent};
    boolean[] testNat = {false};
    bootstrapRound(0, first, testNat);
  }

  private void bootstrapRound(int round, boolean[] first, boolean[] testNat) {
    QueryRun<Response> walk = node.backgroundQuery(node.table.id);
    walk.hook(reply -> {
      // quick firewall heuristic: one pong on the server socket before the walk ends triggers the full check
      if (!first[0]) {
        return;
      }
      first[0] = false;
      node.request(reply.from(), false, true, Commands.PING_NAT, null, serverPort(), null,
          new OutgoingRequest.Callbacks() {
            @Override
            public void onResponse(Response response, OutgoingRequest request) {
              testNat[0] = true;
            }

            @Override
            public void onError(DhtException error, OutgoingRequest request) {}
          });
    });
    walk.finished().whenComplete((result, error) -> {
      if (error != null) {
        node.ready.completeExceptionally(error);
        return;
      }
      if (node.bootstrapped || (!testNat[0] && !node.forcePersistent)) {
        ready();
        return;
      }
      updateNetworkState(!node.forcePersistent).thenAccept(changed -> {
        if (changed && round == 0) {
          bootstrapRound(1, first, testNat);
        } else {
          ready();
        }
      });
    });
    walk.start();
  }

  private void ready() {
    if (node.bootstrapped || node.destroyed) {
      return;
    }
    node.bootstrapped = true;
    node.emit(NodeListener::onReady);
    node.ready.complete(null);
  }

  private byte[] serverPort() {
    int port = node.io.serverSocket.localAddress().port();
    return new byte[] {(byte) port, (byte) (port >>> 8)};
  }

  /**
   * Clears {@code firewalled} when the server socket is reachable, and (unless {@code onlyFirewall}) makes the node
   * persistent with the id of its sampled address. Completes with whether it did; never fails.
   */
  CompletableFuture<Boolean> updateNetworkState(boolean onlyFirewall) {
    if (!node.ephemeral || (onlyFirewall && !node.firewalled)) {
      return CompletableFuture.completedFuture(false);
    }
    String host = node.nat.host();
    int port = node.nat.port();
    if (!onlyFirewall) {
      node.upkeep.stableTicks = Upkeep.MORE_STABLE_TICKS;
      lastHost = host;
    }
    if (host == null || port == 0) {
      return CompletableFuture.completedFuture(false);
    }
    NatSampler probeSampler = node.firewalled ? new NatSampler() : node.nat;
    CompletableFuture<Boolean> blocked = node.firewalled
        ? checkIfFirewalled(probeSampler) : CompletableFuture.completedFuture(false);
    return blocked.thenApply(isFirewalled -> !isFirewalled && adopt(onlyFirewall, host, port, probeSampler));
  }

  private boolean adopt(boolean onlyFirewall, String host, int port, NatSampler probeSampler) {
    node.firewalled = false;
    node.io.firewalled = false;
    // called twice at once, or the NAT view moved meanwhile: bail
    if (!node.ephemeral || !host.equals(node.nat.host()) || port != node.nat.port()) {
      return false;
    }
    if (!host.equals(probeSampler.host()) || probeSampler.port() == 0) {
      return false;
    }
    byte[] id = NodeId.of(probeSampler.host(), probeSampler.port());
    if (!onlyFirewall) {
      node.ephemeral = false;
      node.io.ephemeral = false;
    }
    if (probeSampler != node.nat) {
      String prevHost = node.nat.host();
      int prevPort = node.nat.port();
      node.clearNonPersistentSamples();
      node.nat = probeSampler;
      node.publishNat();
      if (!Objects.equals(prevHost, probeSampler.host()) || prevPort != probeSampler.port()) {
        node.emit(l -> l.onNatUpdate(probeSampler.host(), probeSampler.port()));
      }
    }
    if (!java.util.Arrays.equals(node.table.id, id)) {
      node.rebuildTable(id);
      if (node.bootstrapped) {
        node.refresh();
      }
    }
    if (!node.ephemeral) {
      node.emit(NodeListener::onPersistent);
    }
    return true;
  }

  /**
   * Asks up to five recent table nodes (bootstrap nodes if fewer) to PING_NAT our server socket. Firewalled unless
   * enough pongs came from hosts also seen on the server socket and they agree with our sampled host and port.
   */
  CompletableFuture<Boolean> checkIfFirewalled(NatSampler probeSampler) {
    List<Peer> targets = new ArrayList<>();
    for (TableNode n = node.nodes.latest; n != null && targets.size() < PROBE_NODES; n = n.prev) {
      targets.add(n.peer());
    }
    if (targets.size() < PROBE_NODES) {
      targets.addAll(node.bootstrapPeers());
    }
    if (targets.isEmpty()) {
      return CompletableFuture.completedFuture(true);
    }
    Set<String> hosts = new HashSet<>();
    probes.add(hosts);
    List<Response> pongs = new ArrayList<>();
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    int[] missing = {targets.size()};
    Runnable settle = () -> {
      if (--missing[0] == 0) {
        probes.remove(hosts);
        result.complete(judge(targets.size(), pongs, hosts, probeSampler));
      }
    };
    byte[] value = serverPort();
    for (Peer target : targets) {
      OutgoingRequest req = node.request(target, false, true, Commands.PING_NAT, null, value, null,
          new OutgoingRequest.Callbacks() {
            @Override
            public void onResponse(Response response, OutgoingRequest request) {
              pongs.add(response);
              settle.run();
            }

            @Override
            public void onError(DhtException error, OutgoingRequest request) {
              settle.run();
            }
          });
      if (req == null) {
        settle.run();
      }
    }
    return result;
  }

  private boolean judge(int asked, List<Response> pongs, Set<String> hosts, NatSampler probeSampler) {
    int count = 0;
    for (Response res : pongs) {
      if (hosts.contains(res.from().host())) {
        count++;
        probeSampler.add(res.to().host(), res.to().port());
      }
    }
    if (count < (asked >= PROBE_NODES ? 3 : 1)) {
      return true;
    }
    if (probeSampler.host() == null || !probeSampler.host().equals(node.nat.host())) {
      return true;
    }
    int serverPort = node.io.serverSocket.localAddress().port();
    return probeSampler.port() == 0 || probeSampler.port() != serverPort;
  }
}
