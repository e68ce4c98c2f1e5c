package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The NAT classifier of one puncher socket ({@code lib/nat.js}): the addresses other nodes saw that socket at
 * ({@code to} of their answers), ranked by hits, decide whether its NAT maps consistently (one public {@code host:port}
 * for every destination, so a peer can aim at it) or randomly (a new port per destination, so only the host is
 * known). One sample per responder counts. The view can be frozen once it was told to the peer, so later samples do not
 * contradict what the peer already acts on.
 *
 * <p>I/O-free: samples are fed in; the pings that produce them are the {@link Holepuncher}'s. Not thread-safe: its
 * owner guards it.
 */
final class NatClassifier {
  /** Samples wanted before the sampler gives its verdict even when not consistent. */
  static final int MIN_SAMPLES = 4;

  private static final class Sample {
    final String host;
    final int port;
    int hits = 1;

    Sample(String host, int port) {
      this.host = host;
      this.port = port;
    }
  }

  private final boolean firewalled;
  private final List<Sample> hosts = new ArrayList<>();
  private final List<Sample> full = new ArrayList<>();
  private final Set<HostPort> responders = new HashSet<>();
  private int sampled;
  private long firewall;
  private List<HostPort> addresses;
  private boolean frozen;

  /**
   * @param firewalled whether the node is firewalled (JS {@code dht.firewalled}); a reachable node's sockets count as
   *     OPEN from the start
   */
  NatClassifier(boolean firewalled) {
    this.firewalled = firewalled;
    this.firewall = firewalled ? Firewall.UNKNOWN : Firewall.OPEN;
  }

  /**
   * One answer: {@code seen} is this socket's address as {@code responder} saw it. Further answers of the same
   * responder are ignored.
   */
  void add(HostPort seen, HostPort responder) {
    if (!responders.add(responder)) {
      return;
    }
    rank(hosts, seen.host(), 0);
    rank(full, seen.host(), seen.port());
    sampled++;
    if ((sampled >= 3 || !firewalled) && !frozen) {
      update();
    }
  }

  /** Whether the verdict is in: consistent (or open), or enough samples for any verdict (JS resolves analyzing). */
  boolean settled() {
    return firewall == Firewall.CONSISTENT || firewall == Firewall.OPEN || sampled >= MIN_SAMPLES;
  }

  /** Stops the view from changing (it was sent to the peer). */
  void freeze() {
    frozen = true;
  }

  /** Lets samples change the view again, and applies those that came in meanwhile. */
  void unfreeze() {
    frozen = false;
    update();
  }

  /** The {@link Firewall} class of the socket's NAT. */
  long firewall() {
    return firewall;
  }

  /**
   * The socket's public addresses: for a consistent NAT the well-hit samples (at least two), for a random one just its
   * host (port 0); null while unknown.
   */
  List<HostPort> addresses() {
    return addresses;
  }

  int sampled() {
    return sampled;
  }

  private void update() {
    updateFirewall();
    updateAddresses();
  }

  private void updateFirewall() {
    if (!firewalled) {
      firewall = Firewall.OPEN;
      return;
    }
    if (sampled < 3) {
      return;
    }
    int max = full.get(0).hits;
    if (max >= 3) {
      firewall = Firewall.CONSISTENT;
    } else if (max == 1) {
      firewall = Firewall.RANDOM;
    } else if (hosts.size() == 1 && sampled > 3) {
      firewall = Firewall.RANDOM; // one host, two ports disagreeing with the top one: random
    } else if (hosts.size() > 1 && full.get(1).hits > 1) {
      firewall = Firewall.CONSISTENT; // a double hit on two hosts
    } else if (sampled > 4) {
      firewall = Firewall.RANDOM; // every sample in, still no decision
    }
  }

  private void updateAddresses() {
    if (firewall == Firewall.UNKNOWN) {
      addresses = null;
    } else if (firewall == Firewall.RANDOM) {
      addresses = List.of(new HostPort(hosts.get(0).host, 0));
    } else if (!full.isEmpty()) {
      List<HostPort> out = new ArrayList<>();
      for (Sample s : full) {
        if (s.hits >= 2 || out.size() < 2) {
          out.add(new HostPort(s.host, s.port));
        }
      }
      addresses = List.copyOf(out);
    }
  }

  /** Counts a hit and keeps the list ordered by hits, most first (ties: the earlier sample first). */
  private static void rank(List<Sample> samples, String host, int port) {
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      if (s.port != port || !s.host.equals(host)) {
        continue;
      }
      s.hits++;
      for (; i > 0 && samples.get(i - 1).hits < s.hits; i--) {
        samples.set(i, samples.get(i - 1));
        samples.set(i - 1, s);
      }
      return;
    }
    samples.add(new Sample(host, port));
  }
}
