package io.hyperinfer.testkit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a {@link NatTestbed} builds, and its address plan; pure data, so the plan is tested without root.
 *
 * <p>The "internet" is {@code 10.77.0.0/24} on one bridge: the DHT infrastructure hosts take {@code .1} to
 * {@code .9}, NAT routers' public addresses {@code .11} to {@code .99} in site order, peers without a NAT
 * ({@link #open}) {@code .101} to {@code .199}. Site {@code i} (0-based) has the LAN {@code 192.168.(11+i).0/24},
 * its router at {@code .1} and its peers from {@code .2}. Immutable; the builder methods return new instances.
 */
public record NatTopology(List<Site> sites, List<String> openPeers, int infrastructureHosts) {
  public static final String INTERNET_PREFIX = "10.77.0.";
  public static final int INTERNET_BITS = 24;
  public static final String INTERNET = INTERNET_PREFIX + "0/" + INTERNET_BITS;
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,11}");
  private static final int MAX_SITES = 89;
  private static final int MAX_OPEN = 99;
  private static final int MAX_PEERS_PER_SITE = 250;
  private static final int MAX_INFRASTRUCTURE = 9;

  /** A NAT router of one kind with the peers on its LAN. */
  public record Site(String name, NatKind kind, List<String> peers) {
    public Site {
      requireName(name);
      peers = List.copyOf(peers);
      if (peers.isEmpty() || peers.size() > MAX_PEERS_PER_SITE) {
        throw new IllegalArgumentException("site " + name + " needs 1.." + MAX_PEERS_PER_SITE + " peers");
      }
      if (kind == NatKind.FULL_CONE && peers.size() != 1) {
        throw new IllegalArgumentException("a full cone forwards inbound to one host: site " + name + " takes 1 peer");
      }
      peers.forEach(NatTopology::requireName);
    }
  }

  /** Where a peer sits: its own address, the address the internet sees, and its site (null when open). */
  public record Placement(String peer, String address, String publicAddress, Site site) {}

  public NatTopology {
    sites = List.copyOf(sites);
    openPeers = List.copyOf(openPeers);
    if (sites.size() > MAX_SITES || openPeers.size() > MAX_OPEN) {
      throw new IllegalArgumentException("at most " + MAX_SITES + " sites and " + MAX_OPEN + " open peers");
    }
    if (infrastructureHosts < 1 || infrastructureHosts > MAX_INFRASTRUCTURE) {
      throw new IllegalArgumentException("1.." + MAX_INFRASTRUCTURE + " infrastructure hosts");
    }
    Set<String> names = new HashSet<>();
    for (Site site : sites) {
      if (!names.add("site:" + site.name())) {
        throw new IllegalArgumentException("duplicate site " + site.name());
      }
      site.peers().forEach(p -> requireUnique(names, p));
    }
    openPeers.forEach(p -> requireUnique(names, requireName(p)));
  }

  /** An empty topology with {@code infrastructureHosts} addresses for the DHT nodes. */
  public static NatTopology of(int infrastructureHosts) {
    return new NatTopology(List.of(), List.of(), infrastructureHosts);
  }

  /** This topology plus a NAT router of {@code kind} named {@code name}, with {@code peers} on its LAN. */
  public NatTopology site(String name, NatKind kind, String... peers) {
    List<Site> more = new ArrayList<>(sites);
    more.add(new Site(name, kind, List.of(peers)));
    return new NatTopology(more, openPeers, infrastructureHosts);
  }

  /** This topology plus a peer directly on the internet segment. */
  public NatTopology open(String peer) {
    List<String> more = new ArrayList<>(openPeers);
    more.add(peer);
    return new NatTopology(sites, more, infrastructureHosts);
  }

  /** The DHT infrastructure's addresses, {@code 10.77.0.1} first (the bootstrapper's). */
  public List<String> infrastructureAddresses() {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= infrastructureHosts; i++) {
      out.add(INTERNET_PREFIX + i);
    }
    return out;
  }

  /** Site {@code index}'s router address on the internet segment. */
  public static String routerAddress(int index) {
    return INTERNET_PREFIX + (11 + index);
  }

  /** Site {@code index}'s LAN prefix, e.g. {@code 192.168.11.}. */
  public static String lanPrefix(int index) {
    return "192.168." + (11 + index) + ".";
  }

  /** Every peer by name, in declaration order: sites' peers first, then open peers. */
  public Map<String, Placement> placements() {
    Map<String, Placement> out = new LinkedHashMap<>();
    for (int i = 0; i < sites.size(); i++) {
      Site site = sites.get(i);
      for (int j = 0; j < site.peers().size(); j++) {
        String peer = site.peers().get(j);
        out.put(peer, new Placement(peer, lanPrefix(i) + (2 + j), routerAddress(i), site));
      }
    }
    for (int j = 0; j < openPeers.size(); j++) {
      String address = INTERNET_PREFIX + (101 + j);
      out.put(openPeers.get(j), new Placement(openPeers.get(j), address, address, null));
    }
    return out;
  }

  private static String requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("names are 1-12 of [a-z0-9], starting with a letter: " + name);
    }
    return name;
  }

  private static void requireUnique(Set<String> names, String peer) {
    if (!names.add("peer:" + peer)) {
      throw new IllegalArgumentException("duplicate peer " + peer);
    }
  }
}
