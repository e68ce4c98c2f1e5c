package io.hyperinfer.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link NatTopology} out of namespaces, in four passes: create every namespace, set its sysctls (IPv6 off,
 * forwarding on in routers), create the veth pairs directly inside their namespaces (so no name ever exists in the
 * host namespace), then address each namespace and load each router's ruleset. Interface names are fixed per role:
 * {@code br0} and {@code w<i>}/{@code o<j>} in the internet, {@code wan0}, {@code lan0} and {@code l<j>} in router
 * {@code i}, {@code eth0} in a peer. Confined to the thread that builds.
 */
final class NatBuilder {
  private static final String IPV6_OFF = "for f in /proc/sys/net/ipv6/conf/all/disable_ipv6"
      + " /proc/sys/net/ipv6/conf/default/disable_ipv6; do [ -w $f ] && echo 1 > $f; done; true";
  private static final String FORWARD_ON = "echo 1 > /proc/sys/net/ipv4/ip_forward";

  private final String run;
  private final NatTopology topology;
  private final String inet;
  private final StringBuilder hostBatch = new StringBuilder();
  private final Map<String, StringBuilder> nsBatches = new LinkedHashMap<>();
  private final Map<String, String> sysctls = new LinkedHashMap<>();
  private final Map<String, String> rulesets = new LinkedHashMap<>();

  NatBuilder(String run, NatTopology topology) {
    this.run = run;
    this.topology = topology;
    this.inet = run + "inet";
  }

  /** Builds everything; {@code created} receives each namespace as soon as it exists, so a failure can clean up. */
  void build(List<String> created, Map<String, String> peerNamespaces) {
    plan(peerNamespaces);
    List<String> all = new ArrayList<>(nsBatches.keySet());
    StringBuilder adds = new StringBuilder();
    all.forEach(ns -> adds.append("netns add ").append(ns).append('\n'));
    created.addAll(all);
    HostCommands.run(List.of(NatSupport.ip(), "-batch", "-"), adds.toString());
    sysctls.forEach((ns, script) -> HostCommands.run(command(ns, "sh", "-c", script), ""));
    HostCommands.run(List.of(NatSupport.ip(), "-batch", "-"), hostBatch.toString());
    nsBatches.forEach((ns, batch) ->
        HostCommands.run(List.of(NatSupport.ip(), "-n", ns, "-batch", "-"), batch.toString()));
    rulesets.forEach((ns, rules) -> HostCommands.run(command(ns, NatSupport.nft(), "-f", "-"), rules));
  }

  private void plan(Map<String, String> peerNamespaces) {
    namespace(inet, false)
        .append("link add br0 type bridge\n")
        .append("link set br0 up\n");
    for (String address : topology.infrastructureAddresses()) {
      nsBatches.get(inet).append("addr add ").append(address).append('/').append(NatTopology.INTERNET_BITS)
          .append(" dev br0\n");
    }
    for (int i = 0; i < topology.sites().size(); i++) {
      planSite(i, topology.sites().get(i), peerNamespaces);
    }
    for (int j = 0; j < topology.openPeers().size(); j++) {
      plugPeer(topology.openPeers().get(j), inet, "br0", "o" + j, peerNamespaces);
    }
  }

  private void planSite(int index, NatTopology.Site site, Map<String, String> peerNamespaces) {
    String router = run + "r-" + site.name();
    String lan = NatTopology.lanPrefix(index);
    namespace(router, true);
    veth("wan0", router, "w" + index, inet);
    nsBatches.get(inet).append("link set w").append(index).append(" master br0 up\n");
    nsBatches.get(router)
        .append("addr add ").append(NatTopology.routerAddress(index)).append("/24 dev wan0\n")
        .append("link set wan0 up\n")
        .append("link add lan0 type bridge\n")
        .append("addr add ").append(lan).append("1/24 dev lan0\n")
        .append("link set lan0 up\n");
    for (int j = 0; j < site.peers().size(); j++) {
      plugPeer(site.peers().get(j), router, "lan0", "l" + j, peerNamespaces)
          // The internet segment only, through the router: no default route, so nothing else is reachable.
          .append("route add ").append(NatTopology.INTERNET).append(" via ").append(lan).append("1\n");
    }
    rulesets.put(router, site.kind().ruleset(lan + "2"));
  }

  /** A peer namespace whose {@code eth0} is port {@code port} of {@code bridge} in {@code bridgeNs}; its batch. */
  private StringBuilder plugPeer(String peer, String bridgeNs, String bridge, String port,
      Map<String, String> peerNamespaces) {
    String ns = run + "p-" + peer;
    namespace(ns, false);
    veth("eth0", ns, port, bridgeNs);
    nsBatches.get(bridgeNs).append("link set ").append(port).append(" master ").append(bridge).append(" up\n");
    peerNamespaces.put(peer, ns);
    return nsBatches.get(ns)
        .append("addr add ").append(topology.placements().get(peer).address()).append("/24 dev eth0\n")
        .append("link set eth0 up\n");
  }

  private StringBuilder namespace(String ns, boolean router) {
    StringBuilder batch = new StringBuilder("link set lo up\n");
    nsBatches.put(ns, batch);
    sysctls.put(ns, router ? IPV6_OFF + "; " + FORWARD_ON : IPV6_OFF);
    return batch;
  }

  private void veth(String name, String ns, String peerName, String peerNs) {
    hostBatch.append("link add ").append(name).append(" netns ").append(ns)
        .append(" type veth peer name ").append(peerName).append(" netns ").append(peerNs).append('\n');
  }

  private static List<String> command(String ns, String... command) {
    List<String> full = new ArrayList<>(NatSupport.exec(ns));
    full.addAll(List.of(command));
    return full;
  }
}
