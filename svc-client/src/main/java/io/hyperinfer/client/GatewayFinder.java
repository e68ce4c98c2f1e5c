package io.hyperinfer.client;

import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds gateways by topic and orders them for a call: the last gateway that answered first, then the others as the
 * lookup returned them. After a failure the caller asks again with {@code fresh}, which bypasses the lookup cache.
 * Thread-safe.
 */
final class GatewayFinder {
  static final String TOPIC = "hyperinfer/gateway";
  /** Errors that mean "this gateway is gone or stuck": try another one. */
  static final Set<String> FAILOVER = Set.of("ERR_PEER_UNAVAILABLE", "ERR_CONNECTION_LOST", "ERR_TIMEOUT",
      "ERR_STOPPING", "ERR_NO_PEERS");

  private final NetFacility net;
  private volatile PeerRef preferred;

  GatewayFinder(NetFacility net) {
    this.net = net;
  }

  List<PeerRef> candidates(boolean fresh) {
    List<PeerRef> found = new ArrayList<>(net.lookup(TOPIC, !fresh).join());
    PeerRef p = preferred;
    if (p != null && found.remove(p)) {
      found.addFirst(p);
    }
    return found;
  }

  void answered(PeerRef gateway) {
    preferred = gateway;
  }

  void failed(PeerRef gateway) {
    if (gateway.equals(preferred)) {
      preferred = null;
    }
  }
}
