package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.RosterSource;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.net.spi.Scheduler;
import io.hyperinfer.worker.net.spi.TransportNetFacility;
import java.util.List;
import java.util.Optional;

/**
 * A worker's net facility on the real network: topics announced and looked up on the HyperDHT
 * ({@link SwarmDiscovery}), calls carried by @hyperswarm/rpc over Noise-encrypted UDX connections
 * ({@link SwarmTransport}), the transport-neutral machinery of {@link TransportNetFacility} on top. The worker's
 * identity key pair is the RPC server's key, the key its connections prove and the key its DHT records are signed
 * with. Settings: the machinery's ({@link io.hyperinfer.worker.net.spi.NetSettings}) and the network's
 * ({@link SwarmSettings}), both under {@code facs.net}.
 *
 * <p>{@link #SwarmNetFacility()} binds and bootstraps a node of its own at each start ({@code facs.net.bootstrap}
 * required) and closes it at stop; {@link #SwarmNetFacility(HyperDht)} shares a node that stays open (many
 * facilities in one test JVM over one small testnet). Start fails with one sentence when the port is taken
 * (PORT_UNAVAILABLE) or no bootstrap node answers (BOOTSTRAP_UNREACHABLE). Stop drains, withdraws its topics, closes
 * the RPC server (unannouncing its key) and its connections, and its own node: nothing of it keeps running.
 * Thread-safe.
 */
public final class SwarmNetFacility extends TransportNetFacility {
  private final SwarmNode node;
  private final SwarmTransport transport;

  /** A facility with a node of its own, bound and bootstrapped at each start as {@code facs.net} says. */
  public SwarmNetFacility() {
    this(new SwarmNode(null));
  }

  /** A facility on {@code dht}, which it shares and never closes. */
  public SwarmNetFacility(HyperDht dht) {
    this(new SwarmNode(requireNode(dht)));
  }

  private SwarmNetFacility(SwarmNode node) {
    this(node, new SwarmTransport(node));
  }

  private SwarmNetFacility(SwarmNode node, SwarmTransport transport) {
    super(transport, new SwarmDiscovery(node), Scheduler.system());
    this.node = node;
    this.transport = transport;
  }

  @Override
  public void start(FacilityContext context) {
    SwarmSettings settings = SwarmSettings.fromConfig(context.config(), node.ownsNode());
    node.open(settings, context.identity().get());
    try {
      super.start(context);
    } catch (RuntimeException | Error e) {
      node.close();
      throw e;
    }
  }

  @Override
  public void stop() {
    try {
      super.stop();
    } finally {
      node.close();
    }
  }

  /** The HyperDHT node while started (its own or the shared one), else null. */
  public HyperDht dht() {
    return node.current();
  }

  /**
   * The rosters of {@code network} as HyperDHT mutable records ({@link DhtRosters}), read through this facility's own
   * node: a worker in a network opens no second one. Empty while stopped.
   */
  @Override
  public Optional<RosterSource> rosters(NetworkKey network) {
    HyperDht dht = node.current();
    return dht == null ? Optional.empty() : Optional.of(new DhtRosters(dht, network));
  }

  /** Where clients can reach this facility's RPC server through (at most three relays); empty when stopped. */
  public List<HostPort> relayAddresses() {
    return node.current() == null ? List.of() : node.relayAddresses();
  }

  /** Peers this facility has at least one open connection with. */
  public int connectedPeers() {
    return transport.connectedPeers();
  }

  /** Connections open with {@code peer} now, ours and its (tests: one per pair over the swarm). */
  int connectionsWith(io.hyperinfer.worker.net.PeerRef peer) {
    return transport.connectionsWith(peer);
  }

  /** Peers this facility called within its idle timeout over the swarm (explicit peers), for tests. */
  int calledPeers() {
    SwarmLinks l = node.links();
    return l == null ? 0 : l.calledPeers();
  }

  /** What this facility runs on (tests reach its RPC server's connections through it). */
  SwarmNode node() {
    return node;
  }

  private static HyperDht requireNode(HyperDht dht) {
    if (dht == null) {
      throw new IllegalArgumentException("a shared HyperDHT node is required");
    }
    return dht;
  }
}
