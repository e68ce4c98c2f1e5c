package io.hyperinfer.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host side of {@link NatTestbed}: whether namespaces and nftables NAT work here, starting processes inside a
 * namespace, and deleting namespaces (this run's, or those of runs whose JVM is gone). Thread-safe.
 */
final class NatSupport {
  private static final Pattern RUN_NAME = Pattern.compile(Pattern.quote(NatTestbed.PREFIX) + "(\\d+)-.*");
  private static final String PROBE_RULES = """
      table ip probe {
        chain postrouting {
          type nat hook postrouting priority srcnat; policy accept;
          oifname "lo" masquerade random
        }
      }
      """;
  private static String unavailable;
  private static boolean probed;

  private NatSupport() {}

  /** Why the testbed cannot run here, or null when it can; probed once per JVM. */
  static synchronized String unavailableReason() {
    if (!probed) {
      unavailable = probe();
      probed = true;
    }
    return unavailable;
  }

  /** Whether a testbed that cannot run must fail rather than skip: under CI or with -Dnat.required=true. */
  static boolean required() {
    return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean("nat.required");
  }

  /** The command prefix that runs something inside {@code namespace}. */
  static List<String> exec(String namespace) {
    return List.of(ip(), "netns", "exec", namespace);
  }

  /** Starts a line-speaking process from the repository root, with the pinned JS packages on NODE_PATH. */
  static JsProcess spawn(List<String> command) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(ProjectPaths.root().toFile());
      builder.environment().put("NODE_PATH", ProjectPaths.interop().resolve("node_modules").toString());
      return new JsProcess(builder.start(), String.join(" ", command));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Deletes the namespaces of runs whose JVM no longer exists, ending whatever still runs inside them first. */
  static void removeStaleRuns() {
    List<String> stale = new ArrayList<>();
    for (String ns : listNamespaces()) {
      Matcher m = RUN_NAME.matcher(ns);
      if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).filter(ProcessHandle::isAlive).isEmpty()) {
        stale.add(ns);
      }
    }
    if (!stale.isEmpty()) {
      System.err.println("[nat-testbed] removing " + stale.size() + " namespaces left by aborted runs: " + stale);
      deleteNamespaces(stale);
    }
  }

  /** Ends the processes inside {@code namespaces} (all started by a testbed) and deletes the namespaces. */
  static void deleteNamespaces(List<String> namespaces) {
    if (namespaces.isEmpty()) {
      return;
    }
    for (String ns : namespaces) {
      String pids;
      try {
        pids = HostCommands.run(List.of(ip(), "netns", "pids", ns), "");
      } catch (RuntimeException gone) {
        continue;
      }
      pids.lines().map(String::strip).filter(l -> !l.isEmpty())
          .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
    }
    StringBuilder batch = new StringBuilder();
    namespaces.reversed().forEach(ns -> batch.append("netns del ").append(ns).append('\n'));
    try {
      HostCommands.run(List.of(ip(), "-force", "-batch", "-"), batch.toString());
    } catch (RuntimeException e) {
      List<String> left = listNamespaces().stream().filter(namespaces::contains).toList();
      if (!left.isEmpty()) {
        throw new IllegalStateException("cannot delete namespaces " + left, e);
      }
    }
  }

  /** Every named network namespace on the host. */
  static List<String> listNamespaces() {
    return HostCommands.run(List.of(ip(), "netns", "list"), "").lines()
        .map(l -> l.split(" ", 2)[0]).filter(s -> !s.isEmpty()).toList();
  }

  static String ip() {
    String ip = HostCommands.which("ip");
    return ip != null ? ip : "ip";
  }

  static String nft() {
    String nft = HostCommands.which("nft");
    return nft != null ? nft : "nft";
  }

  private static String probe() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return "this is not Linux";
    }
    if (HostCommands.which("ip") == null) {
      return "iproute2 (ip) is not installed";
    }
    if (HostCommands.which("nft") == null) {
      return "nftables (nft) is not installed";
    }
    String ns = NatTestbed.PREFIX + ProcessHandle.current().pid() + "-probe";
    try {
      HostCommands.run(List.of(ip(), "netns", "add", ns), "");
    } catch (RuntimeException e) {
      return "cannot create a network namespace (" + firstLine(e) + ")";
    }
    try {
      List<String> nft = new ArrayList<>(exec(ns));
      nft.addAll(List.of(nft(), "-f", "-"));
      HostCommands.run(nft, PROBE_RULES);
      return null;
    } catch (RuntimeException e) {
      return "nftables cannot make a NAT rule in a namespace (" + firstLine(e) + ")";
    } finally {
      deleteNamespaces(List.of(ns));
    }
  }

  private static String firstLine(RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    String[] lines = message.split("\n");
    return lines.length > 2 ? lines[0] + ": " + lines[lines.length - 1] : message.replace('\n', ' ');
  }
}
