package io.hyperinfer.app.dht;

import io.hyperinfer.encoding.HostPort;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Checks the dht commands' arguments; each failure is a one-line {@link BadArgument}. Thread-safe. */
final class DhtArgs {
  /** A bad argument, with the line to print. */
  static final class BadArgument extends RuntimeException {
    BadArgument(String message) {
      super(message, null, false, false);
    }
  }

  private DhtArgs() {}

  /** An IPv4 literal; names are not resolved (this network has no DNS). */
  static String host(String option, String value) {
    if (value == null || value.isBlank()) {
      throw new BadArgument(option + " is required (an IPv4 address such as 127.0.0.1)");
    }
    try {
      if (value.chars().allMatch(c -> c == '.' || Character.isDigit(c))
          && InetAddress.ofLiteral(value) instanceof Inet4Address) {
        return value;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new BadArgument(option + " must be an IPv4 address, not '" + value + "'");
  }

  /** A port 1..65535, or 0 when {@code anyAllowed}. */
  static int port(String value, boolean anyAllowed) {
    int min = anyAllowed ? 0 : 1;
    try {
      int p = Integer.parseInt(value.strip());
      if (p >= min && p <= 0xffff) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadArgument("bad port '" + value + "': use " + min + ".." + 0xffff);
  }

  /** {@code HOST:PORT[,HOST:PORT...]}, at least one. */
  static List<HostPort> nodes(String value) {
    if (value == null || value.isBlank()) {
      throw new BadArgument("--bootstrap is required (HOST:PORT[,HOST:PORT...])");
    }
    List<HostPort> out = new ArrayList<>();
    for (String entry : value.split(",", -1)) {
      int colon = entry.lastIndexOf(':');
      if (colon <= 0 || colon == entry.length() - 1) {
        throw new BadArgument("--bootstrap: '" + entry + "' is not HOST:PORT");
      }
      String h = host("--bootstrap", entry.substring(0, colon));
      int p;
      try {
        p = port(entry.substring(colon + 1), false);
      } catch (BadArgument e) {
        throw new BadArgument("--bootstrap: '" + entry + "' has a " + e.getMessage());
      }
      out.add(new HostPort(h, p));
    }
    return out;
  }
}
