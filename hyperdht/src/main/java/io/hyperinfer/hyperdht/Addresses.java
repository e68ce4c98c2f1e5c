package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * The address rules a connect and a server apply to IPv4 hosts: the {@code bogon} package's private and reserved
 * ranges, the local addresses a socket offers ({@code holepuncher.js localAddresses}) and the best prefix match
 * between two lists ({@code matchAddress}). Stateless, thread-safe.
 */
public final class Addresses {
  private Addresses() {}

  /** Private-use, carrier-grade NAT, loopback and link-local ranges (bogon {@code isPrivate}). */
  public static boolean isPrivate(String host) {
    int[] ip = octets(host);
    return ip != null && (ip[0] == 10 || (ip[0] == 100 && ip[1] >= 64 && ip[1] <= 127) || ip[0] == 127
        || (ip[0] == 169 && ip[1] == 254) || (ip[0] == 172 && ip[1] >= 16 && ip[1] <= 31)
        || (ip[0] == 192 && ip[1] == 168));
  }

  /** "This" network, documentation, benchmarking, multicast and future-use ranges (bogon {@code isReserved}). */
  public static boolean isReserved(String host) {
    int[] ip = octets(host);
    return ip == null || ip[0] == 0 || (ip[0] == 192 && ip[1] == 0 && (ip[2] == 0 || ip[2] == 2))
        || (ip[0] == 198 && (ip[1] == 18 || ip[1] == 19)) || (ip[0] == 198 && ip[1] == 51 && ip[2] == 100)
        || (ip[0] == 203 && ip[1] == 0 && ip[2] == 113) || ip[0] >= 224;
  }

  /** Private or reserved: not an address on the public internet. */
  public static boolean isBogon(String host) {
    return isPrivate(host) || isReserved(host);
  }

  /** The first address that is not a bogon, else {@code fallback} (connect.js {@code getFirstRemoteAddress}). */
  public static HostPort firstPublic(List<HostPort> addresses, HostPort fallback) {
    for (HostPort a : addresses) {
      if (!isBogon(a.host())) {
        return a;
      }
    }
    return fallback;
  }

  /** The addresses that are not reserved (private ones stay: they are what a LAN path dials). */
  public static List<HostPort> nonReserved(List<HostPort> addresses) {
    return addresses.stream().filter(a -> !isReserved(a.host())).toList();
  }

  /**
   * The addresses a socket bound to {@code bound} can be reached at on this machine: itself when bound to
   * 127.0.0.1, else every non-loopback IPv4 interface address with its port, else 127.0.0.1.
   */
  public static List<HostPort> localAddresses(HostPort bound) {
    if (bound.host().equals("127.0.0.1")) {
      return List.of(bound);
    }
    List<HostPort> out = new ArrayList<>();
    for (String host : interfaceHosts()) {
      out.add(new HostPort(host, bound.port()));
    }
    if (out.isEmpty()) {
      out.add(new HostPort("127.0.0.1", bound.port()));
    }
    return List.copyOf(out);
  }

  /**
   * The remote address sharing the longest prefix (/24, then /16, then /8) with one of ours, or null when none
   * shares even the first octet ({@code matchAddress}).
   */
  public static HostPort matchAddress(List<HostPort> mine, List<HostPort> theirs) {
    HostPort best = null;
    int bestSegments = 0;
    for (HostPort local : mine) {
      String[] a = local.host().split("\\.");
      for (HostPort remote : theirs) {
        String[] b = remote.host().split("\\.");
        int same = 0;
        while (same < 3 && same < a.length && same < b.length && a[same].equals(b[same])) {
          same++;
        }
        if (same == 3) {
          return remote;
        }
        if (same > bestSegments) {
          best = remote;
          bestSegments = same;
        }
      }
    }
    return best;
  }

  private static List<String> interfaceHosts() {
    List<String> hosts = new ArrayList<>();
    try {
      Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
      while (all != null && all.hasMoreElements()) {
        NetworkInterface n = all.nextElement();
        if (n.isLoopback() || !n.isUp()) {
          continue;
        }
        for (InetAddress a : java.util.Collections.list(n.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            hosts.add(a.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      return List.of();
    }
    return hosts;
  }

  private static int[] octets(String host) {
    String[] parts = host.split("\\.");
    if (parts.length != 4) {
      return null;
    }
    int[] out = new int[4];
    for (int i = 0; i < 4; i++) {
      try {
        out[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        return null;
      }
      if (out[i] < 0 || out[i] > 255) {
        return null;
      }
    }
    return out;
  }
}
