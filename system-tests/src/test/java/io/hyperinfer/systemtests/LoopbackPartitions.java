package io.hyperinfer.systemtests;

import io.hyperinfer.testkit.HostCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Network partitions between processes on 127.0.0.1, made with nftables: a cut drops every UDP datagram between the
 * ports one process has bound and the ports another has (both ways), in a base chain on the output hook of a table
 * this object creates and always deletes (at {@link #close}, or in a shutdown hook if the JVM ends first; tables left
 * by a JVM that was killed are deleted by the next {@link #open}). A process's ports are read from {@code /proc}
 * (its socket inodes in {@code /proc/PID/fd}, their ports in {@code /proc/net/udp}) when the cut is made and every
 * 200 ms while it lasts, so sockets it binds later (a holepunch socket) are cut too. Healing deletes the cut's chain.
 *
 * <p>Needs Linux, nftables and root. Elsewhere {@link #open} skips the test, loudly on standard error; under CI
 * ({@code CI=true}) it fails instead, as the NAT testbed does. Thread-safe.
 */
final class LoopbackPartitions implements AutoCloseable {
  private static final String PREFIX = "hyperinfer_cut_";
  private static final Pattern TABLE = Pattern.compile("table inet " + PREFIX + "(\\d+)_\\d+");
  private static final Pattern COUNTER = Pattern.compile("counter packets (\\d+)");
  private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final long REFRESH_MS = 200;

  private final String table;
  private final List<Cut> cuts = new CopyOnWriteArrayList<>();
  private final Thread cleanup;
  private final ScheduledExecutorService refresher;
  private final AtomicInteger ids = new AtomicInteger();
  private volatile boolean closed;

  private LoopbackPartitions(String table) {
    this.table = table;
    this.cleanup = new Thread(this::deleteTable, table + "-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    this.refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(table + "-refresh")
        .factory());
    refresher.scheduleWithFixedDelay(this::refresh, REFRESH_MS, REFRESH_MS, TimeUnit.MILLISECONDS);
  }

  /** A fresh table for one test class; skips (or under CI fails) where nftables as root is unavailable. */
  static LoopbackPartitions open() {
    String why = unavailableReason();
    if (why != null) {
      String message = "network partitions need nftables as root on Linux: " + why;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(message + " (CI=true: this must not be skipped)");
      }
      System.err.println("*** SKIPPED: " + message + " ***");
      Assumptions.abort(message);
    }
    removeStaleTables();
    String table = PREFIX + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
    nft("add table inet " + table + "\n");
    return new LoopbackPartitions(table);
  }

  /** Cuts {@code a} off from {@code b}: no UDP datagram between their ports passes until {@link Cut#heal}. */
  Cut cut(ProcessHandle a, ProcessHandle b) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    int id = ids.incrementAndGet();
    Cut cut = new Cut(id, a, b);
    String sets = "set a" + id + " { type inet_service; }\n";
    nft("add " + sets.replace("set a", "set inet " + table + " a")
        + "add " + sets.replace("set a", "set inet " + table + " b")
        + "add chain inet " + table + " c" + id + " { type filter hook output priority 0; policy accept; }\n"
        + rule(id, "a", "b") + rule(id, "b", "a"));
    cut.refresh();
    cuts.add(cut);
    return cut;
  }

  private String rule(int id, String from, String to) {
    return "add rule inet " + table + " c" + id + " ip saddr 127.0.0.1 ip daddr 127.0.0.1 udp sport @" + from + id
        + " udp dport @" + to + id + " counter drop\n";
  }

  /** One partition between two processes. */
  final class Cut {
    private final int id;
    private final ProcessHandle a;
    private final ProcessHandle b;
    private final Set<Integer> portsA = new HashSet<>();
    private final Set<Integer> portsB = new HashSet<>();
    private boolean healed;

    private Cut(int id, ProcessHandle a, ProcessHandle b) {
      this.id = id;
      this.a = a;
      this.b = b;
    }

    /** Datagrams dropped so far (both ways). */
    synchronized long dropped() {
      if (healed) {
        throw new IllegalStateException("healed");
      }
      Matcher m = COUNTER.matcher(nft("list chain inet " + table + " c" + id + "\n"));
      long sum = 0;
      while (m.find()) {
        sum += Long.parseLong(m.group(1));
      }
      return sum;
    }

    /** The ports of each side the cut holds now. */
    synchronized String describe() {
      return "pid " + a.pid() + " ports " + portsA + " | pid " + b.pid() + " ports " + portsB;
    }

    /** Ends the partition: datagrams between the two pass again. Idempotent. */
    synchronized void heal() {
      if (healed) {
        return;
      }
      healed = true;
      cuts.remove(this);
      nft("delete chain inet " + table + " c" + id + "\ndelete set inet " + table + " a" + id + "\ndelete set inet "
          + table + " b" + id + "\n");
    }

    private synchronized void refresh() {
      if (healed) {
        return;
      }
      StringBuilder batch = new StringBuilder();
      add(batch, "a", a, portsA);
      add(batch, "b", b, portsB);
      if (!batch.isEmpty()) {
        nft(batch.toString());
      }
    }

    private void add(StringBuilder batch, String set, ProcessHandle process, Set<Integer> known) {
      Set<Integer> fresh = new HashSet<>(udpPorts(process.pid()));
      fresh.removeAll(known);
      if (!fresh.isEmpty()) {
        known.addAll(fresh);
        batch.append("add element inet ").append(table).append(' ').append(set).append(id).append(" { ")
            .append(fresh.stream().map(String::valueOf).collect(Collectors.joining(", "))).append(" }\n");
      }
    }
  }

  private void refresh() {
    try {
      for (Cut c : cuts) {
        c.refresh();
      }
    } catch (RuntimeException e) {
      if (!closed) {
        System.err.println("[partitions] refreshing the cut ports failed: " + e);
      }
    }
  }

  /** The local UDP ports process {@code pid} has sockets on now (none once it is gone). */
  static Set<Integer> udpPorts(long pid) {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          Matcher m = SOCKET.matcher(Files.readSymbolicLink(fd).toString());
          if (m.matches()) {
            inodes.add(m.group(1));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor was closed between the listing and the read
        }
      }
    } catch (NoSuchFileException gone) {
      return Set.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<Integer> ports = new HashSet<>();
    for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          ports.addAll(portOf(line, inodes));
        }
      } catch (NoSuchFileException noIpv6) {
        // this kernel has no IPv6
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ports;
  }

  private static List<Integer> portOf(String line, Set<String> inodes) {
    String[] f = line.strip().split("\\s+");
    if (f.length < 10 || !f[0].endsWith(":") || !inodes.contains(f[9])) {
      return List.of();
    }
    String local = f[1];
    return List.of(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
  }

  @Override
  public void close() {
    closed = true;
    refresher.shutdownNow();
    deleteTable();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs (or ran) anyway
    }
  }

  private synchronized void deleteTable() {
    cuts.clear();
    try {
      nft("delete table inet " + table + "\n");
    } catch (RuntimeException alreadyGone) {
      // deleted before (close, then the shutdown hook)
    }
  }

  private static void removeStaleTables() {
    StringBuilder batch = new StringBuilder();
    Matcher m = TABLE.matcher(nft("list tables\n"));
    while (m.find()) {
      if (ProcessHandle.of(Long.parseLong(m.group(1))).filter(ProcessHandle::isAlive).isEmpty()) {
        batch.append("delete ").append(m.group()).append('\n');
      }
    }
    if (!batch.isEmpty()) {
      System.err.println("[partitions] deleting tables left by killed runs:\n" + batch);
      nft(batch.toString());
    }
  }

  private static String nft(String script) {
    String nft = HostCommands.which("nft");
    return HostCommands.run(List.of(nft != null ? nft : "nft", "-f", "-"), script);
  }

  private static String unavailableReason() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return "this is not Linux";
    }
    if (HostCommands.which("nft") == null) {
      return "nftables (nft) is not installed";
    }
    String probe = PREFIX + "probe_" + ProcessHandle.current().pid();
    try {
      nft("add table inet " + probe + "\ndelete table inet " + probe + "\n");
      return null;
    } catch (RuntimeException e) {
      return "nft cannot create a table (" + e.getMessage().lines().reduce((x, y) -> y).orElse("") + ")";
    }
  }
}
