package io.hyperinfer.app.dht;

import io.hyperinfer.app.LauncherException;
import io.hyperinfer.app.launch.Bootstrap;
import io.hyperinfer.encoding.HostPort;
import java.util.List;

/** Checks the dht commands' arguments; each failure is a one-line BAD_ARGUMENT {@link LauncherException}. */
final class DhtArgs {
  private DhtArgs() {}

  /** An IPv4 literal; names are not resolved (this network has no DNS). */
  static String host(String option, String value) {
    if (value == null || value.isBlank()) {
      throw LauncherException.badArgument(option + " is required (an IPv4 address such as 127.0.0.1)");
    }
    if (Bootstrap.isIpv4(value)) {
      return value;
    }
    throw LauncherException.badArgument(option + " must be an IPv4 address, not '" + value + "'");
  }

  /** A port 1..65535, or 0 when {@code anyAllowed}. */
  static int port(String value, boolean anyAllowed) {
    return Bootstrap.port("bad port", value, anyAllowed);
  }

  /** {@code HOST:PORT[,HOST:PORT...]}, at least one. */
  static List<HostPort> nodes(String value) {
    return Bootstrap.parse(Bootstrap.FLAG, value);
  }
}
