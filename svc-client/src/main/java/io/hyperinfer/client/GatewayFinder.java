package io.hyperinfer.client;

import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds gateways by topic and orders them for a call: the last gateway that answered first, then the others as the
 * lookup returned them, and last those that failed within {@code unhealthyFor} (kept, not dropped: when every gateway
 * failed lately, one of them is still worth a try). After a failure the caller asks again with {@code fresh}, which
 * bypasses the lookup cache. A call's first look ({@link #firstCandidates}) that finds none looks again for as long as
 * its {@link GatewayWait} allows. Thread-safe.
 */
final class GatewayFinder {
  static final String TOPIC = "hyperinfer/gateway";
  /** Errors that mean "this gateway is gone or stuck": try another one. */
  static final Set<String> FAILOVER = Set.of("ERR_PEER_UNAVAILABLE", "ERR_CONNECTION_LOST", "ERR_TIMEOUT",
      "ERR_STOPPING", "ERR_NO_PEERS");
  /**
   * The subset of {@link #FAILOVER} that proves the gateway never handled the call (no connection, or it refused while
   * stopping): any call may go to another gateway. After the others the call may have run there.
   */
  static final Set<String> NOT_DELIVERED = Set.of("ERR_PEER_UNAVAILABLE", "ERR_STOPPING", "ERR_NO_PEERS");
  /** Bound of the unhealthy table; gateways beyond it are simply not remembered. */
  static final int MAX_UNHEALTHY = 256;

  private final NetFacility net;
  private final Clock clock;
  private final Duration unhealthyFor;
  private final GatewayWait wait;
  private final Map<PeerRef, Instant> unhealthyUntil = new ConcurrentHashMap<>();
  private volatile PeerRef preferred;

  GatewayFinder(NetFacility net) {
    this(net, Clock.systemUTC(), Duration.ofSeconds(30));
  }

  /** A finder whose first look is the lookup's answer, even when empty. */
  GatewayFinder(NetFacility net, Clock clock, Duration unhealthyFor) {
    this(net, clock, unhealthyFor, GatewayWait.NONE);
  }

  GatewayFinder(NetFacility net, Clock clock, Duration unhealthyFor, GatewayWait wait) {
    this.net = net;
    this.clock = clock;
    this.unhealthyFor = unhealthyFor;
    this.wait = wait;
  }

  /** {@link #candidates} for a call's first try; when none is found, fresh lookups while the wait lasts. */
  List<PeerRef> firstCandidates(boolean fresh) {
    return wait.until(candidates(fresh), () -> candidates(true));
  }

  List<PeerRef> candidates(boolean fresh) {
    List<PeerRef> found = new ArrayList<>(net.lookup(TOPIC, !fresh).join());
    PeerRef p = preferred;
    if (p != null && found.remove(p)) {
      found.addFirst(p);
    }
    List<PeerRef> healthy = new ArrayList<>(found.size());
    List<PeerRef> failed = new ArrayList<>();
    for (PeerRef g : found) {
      (unhealthy(g) ? failed : healthy).add(g);
    }
    healthy.addAll(failed);
    return healthy;
  }

  /** True while {@code gateway} failed within the last {@code unhealthyFor}. */
  boolean unhealthy(PeerRef gateway) {
    Instant until = unhealthyUntil.get(gateway);
    if (until == null) {
      return false;
    }
    if (clock.instant().isBefore(until)) {
      return true;
    }
    unhealthyUntil.remove(gateway, until);
    return false;
  }

  void answered(PeerRef gateway) {
    preferred = gateway;
    unhealthyUntil.remove(gateway);
  }

  /** {@code gateway} failed or stayed silent: not preferred, and tried last for {@code unhealthyFor}. */
  void failed(PeerRef gateway) {
    if (gateway.equals(preferred)) {
      preferred = null;
    }
    Instant now = clock.instant();
    if (unhealthyUntil.size() >= MAX_UNHEALTHY) {
      unhealthyUntil.values().removeIf(until -> !now.isBefore(until));
    }
    if (unhealthyUntil.size() < MAX_UNHEALTHY || unhealthyUntil.containsKey(gateway)) {
      unhealthyUntil.put(gateway, now.plus(unhealthyFor));
    }
  }
}
