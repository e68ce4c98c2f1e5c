package io.hyperinfer.dht;

import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * How a node behaves (JS {@code new DHT(opts)}). Addresses are IPv4 literals: this port resolves no names.
 *
 * @param bootstrap nodes to join through (empty: none, e.g. the first node of a network)
 * @param mode {@link Mode#ADAPTIVE} by default
 * @param firewalled start firewalled (the default); a quick firewall check at bootstrap may clear it
 * @param quickFirewall probe the first node that replies with PING_NAT during bootstrap (default true)
 * @param concurrency query concurrency (10)
 * @param maxWindow congestion window: sends per 750 ms slot (80; twice that over four slots)
 * @param maxPingDelayMs DELAYED_PING delays above this are ignored (10,000)
 * @param sendDownHints send DOWN_HINTs for nodes that time out in queries (true)
 * @param downHintsRateLimit DOWN_HINTs per 5 s tick (50; -1: no limit)
 * @param filterNode vetoes nodes before they enter the table or a query (null: accept all)
 * @param nodes nodes to add to the table at start
 */
public record NodeOptions(
    List<HostPort> bootstrap, Mode mode, boolean firewalled, boolean quickFirewall, int concurrency, int maxWindow,
    long maxPingDelayMs, boolean sendDownHints, int downHintsRateLimit, Predicate<Peer> filterNode,
    List<HostPort> nodes) {

  /** Whether and when a node gets an id and stores and routes for others. */
  public enum Mode {
    /** Starts ephemeral, becomes persistent after about 20 stable minutes if reachable (JS default). */
    ADAPTIVE,
    /** Never sends an id (JS {@code ephemeral: true}). */
    EPHEMERAL,
    /** Checks its reachability at bootstrap and becomes persistent if it can (JS {@code ephemeral: false}). */
    PERSISTENT
  }

  public static final NodeOptions DEFAULT =
      new NodeOptions(List.of(), Mode.ADAPTIVE, true, true, 10, 80, 10_000, true, 50, null, List.of());

  public NodeOptions {
    bootstrap = List.copyOf(bootstrap);
    nodes = List.copyOf(nodes);
    if (mode == null || concurrency < 1 || maxWindow < 1 || maxPingDelayMs < 0 || downHintsRateLimit < -1) {
      throw DhtException.badArgument("invalid node options");
    }
  }

  /** Parses {@code "host:port"} entries (IPv4 literals). */
  public static List<HostPort> parseNodes(String... hostPorts) {
    List<HostPort> out = new ArrayList<>();
    for (String s : hostPorts) {
      int colon = s.lastIndexOf(':');
      if (colon <= 0) {
        throw DhtException.badArgument("Bootstrap node format is host:port: " + s);
      }
      try {
        out.add(new HostPort(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))));
      } catch (RuntimeException e) {
        throw DhtException.badArgument("bad node address: " + s);
      }
    }
    return out;
  }

  public NodeOptions withBootstrap(List<HostPort> nodesToJoin) {
    return new NodeOptions(nodesToJoin, mode, firewalled, quickFirewall, concurrency, maxWindow, maxPingDelayMs,
        sendDownHints, downHintsRateLimit, filterNode, nodes);
  }

  public NodeOptions withMode(Mode m) {
    return new NodeOptions(bootstrap, m, firewalled, quickFirewall, concurrency, maxWindow, maxPingDelayMs,
        sendDownHints, downHintsRateLimit, filterNode, nodes);
  }

  public NodeOptions withFirewalled(boolean on) {
    return new NodeOptions(bootstrap, mode, on, quickFirewall, concurrency, maxWindow, maxPingDelayMs,
        sendDownHints, downHintsRateLimit, filterNode, nodes);
  }

  public NodeOptions withQuickFirewall(boolean on) {
    return new NodeOptions(bootstrap, mode, firewalled, on, concurrency, maxWindow, maxPingDelayMs,
        sendDownHints, downHintsRateLimit, filterNode, nodes);
  }

  public NodeOptions withConcurrency(int n) {
    return new NodeOptions(bootstrap, mode, firewalled, quickFirewall, n, maxWindow, maxPingDelayMs,
        sendDownHints, downHintsRateLimit, filterNode, nodes);
  }

  public NodeOptions withMaxWindow(int n) {
    return new NodeOptions(bootstrap, mode, firewalled, quickFirewall, concurrency, n, maxPingDelayMs,
        sendDownHints, downHintsRateLimit, filterNode, nodes);
  }

  public NodeOptions withMaxPingDelayMs(long ms) {
    return new NodeOptions(bootstrap, mode, firewalled, quickFirewall, concurrency, maxWindow, ms,
        sendDownHints, downHintsRateLimit, filterNode, nodes);
  }

  public NodeOptions withDownHints(boolean send, int perTick) {
    return new NodeOptions(bootstrap, mode, firewalled, quickFirewall, concurrency, maxWindow, maxPingDelayMs,
        send, perTick, filterNode, nodes);
  }

  public NodeOptions withFilterNode(Predicate<Peer> filter) {
    return new NodeOptions(bootstrap, mode, firewalled, quickFirewall, concurrency, maxWindow, maxPingDelayMs,
        sendDownHints, downHintsRateLimit, filter, nodes);
  }

  public NodeOptions withNodes(List<HostPort> initial) {
    return new NodeOptions(bootstrap, mode, firewalled, quickFirewall, concurrency, maxWindow, maxPingDelayMs,
        sendDownHints, downHintsRateLimit, filterNode, initial);
  }
}
