package io.hyperinfer.app.launch;

import io.hyperinfer.app.LauncherException;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.worker.fs.DataDirs;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a command finds the network to join: the {@code --bootstrap HOST:PORT[,HOST:PORT...]} it was given, else the
 * {@link NetworkFile} of the local network {@code hyperinfer up} runs in the same data directory. Thread-safe.
 */
public final class Bootstrap {
  /** The flag. */
  public static final String FLAG = "--bootstrap";

  private Bootstrap() {}

  /**
   * The nodes to join through: {@code flag} when given, else those of a running local network in {@code dirs}; a
   * {@link LauncherException} naming the fix when there is neither.
   */
  public static List<HostPort> resolve(String flag, DataDirs dirs) {
    if (flag != null) {
      return parse(FLAG, flag);
    }
    return fromNetworkFile(dirs).orElseThrow(() -> LauncherException.noNetwork("no network to join: pass " + FLAG
        + " HOST:PORT (a DHT node of the network), or start a local network with 'hyperinfer up'"
        + dataDirHint(dirs)));
  }

  /** The bootstrap nodes of the running local network in {@code dirs}, if any; fails if it has stopped. */
  public static Optional<List<HostPort>> fromNetworkFile(DataDirs dirs) {
    Optional<NetworkFile> file = NetworkFile.read(dirs);
    if (file.isPresent() && !file.get().running()) {
      throw LauncherException.noNetwork("the local network 'hyperinfer up' started (pid " + file.get().pid()
          + ") is not running any more: start it again with 'hyperinfer up', or pass " + FLAG + " HOST:PORT");
    }
    return file.map(NetworkFile::bootstrap);
  }

  /** {@code HOST:PORT[,HOST:PORT...]}, IPv4 literals and ports 1..65535; {@code what} names the value in errors. */
  public static List<HostPort> parse(String what, String value) {
    if (value == null || value.isBlank()) {
      throw LauncherException.badArgument(what + " is required (HOST:PORT[,HOST:PORT...])");
    }
    List<HostPort> out = new ArrayList<>();
    for (String entry : value.split(",", -1)) {
      String e = entry.strip();
      int colon = e.lastIndexOf(':');
      if (colon <= 0 || colon == e.length() - 1) {
        throw LauncherException.badArgument(what + ": '" + e + "' is not HOST:PORT");
      }
      String host = e.substring(0, colon);
      if (!isIpv4(host)) {
        throw LauncherException.badArgument(what + ": '" + host + "' is not an IPv4 address (no names: this network "
            + "has no DNS)");
      }
      out.add(new HostPort(host, port(what + ": '" + e + "' has a bad port", e.substring(colon + 1), false)));
    }
    return out;
  }

  /** {@code HOST:PORT,...} of {@code nodes}. */
  public static String format(List<HostPort> nodes) {
    return String.join(",", nodes.stream().map(n -> n.host() + ":" + n.port()).toList());
  }

  /** A port 1..65535, or 0 when {@code anyAllowed}; {@code what} starts the error message. */
  public static int port(String what, String value, boolean anyAllowed) {
    int min = anyAllowed ? 0 : 1;
    try {
      int p = Integer.parseInt(value.strip());
      if (p >= min && p <= 0xffff) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw LauncherException.badArgument(what + " '" + value + "': use " + min + ".." + 0xffff);
  }

  /** Whether {@code host} is an IPv4 literal (names are never resolved). */
  public static boolean isIpv4(String host) {
    try {
      return host.chars().allMatch(c -> c == '.' || Character.isDigit(c))
          && InetAddress.ofLiteral(host) instanceof Inet4Address;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String dataDirHint(DataDirs dirs) {
    return " (none is recorded in " + NetworkFile.path(dirs) + ")";
  }
}
