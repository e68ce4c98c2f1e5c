package io.hyperinfer.app;

import io.hyperinfer.app.launch.Child;
import io.hyperinfer.app.launch.Launcher;
import io.hyperinfer.app.launch.NetworkFile;
import io.hyperinfer.app.launch.NetworkPlan;
import io.hyperinfer.app.launch.ProcessNetwork;
import io.hyperinfer.app.launch.ReadyLine;
import io.hyperinfer.app.launch.StopOnSignal;
import io.hyperinfer.app.network.LocalOperator;
import io.hyperinfer.worker.fs.DataDirs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hyperinfer up [--dir DIR]}: a whole local network as separate processes on 127.0.0.1 ({@link ProcessNetwork}),
 * until Ctrl-C or SIGTERM. Prints the bootstrap address, each process and its log; records the address in the data
 * directory ({@link NetworkFile}) so {@code cli} and {@code serve-openai} join with no flag; reports a process that
 * exits on its own (and restarts nothing); on a signal stops every process (workers first; SIGTERM, then SIGKILL after
 * a bound) and exits 0 if all stopped cleanly.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Start a whole local network as separate processes on 127.0.0.1: a DHT bootstrap node, two DHT "
        + "nodes, Auth, a Gateway and two Processors. Keeps it up until Ctrl-C, then stops every process cleanly.",
        "While it runs, 'hyperinfer cli ...' and 'hyperinfer serve-openai' with the same data directory join it with "
            + "no flag; from elsewhere use --bootstrap with the address it prints.",
        "Data: stores in ~/.local/share/hyperinfer/workers,",
        "logs and the network's address in ~/.local/state/hyperinfer",
        "(XDG_DATA_HOME, XDG_STATE_HOME; --data-dir DIR or HYPERINFER_HOME puts all under DIR)."})
final class UpCommand implements Callable<Integer> {
  /** How long a process gets between SIGTERM and SIGKILL. */
  static final Duration GRACE = Duration.ofSeconds(10);
  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"--dir", "--data-dir"}, paramLabel = "DIR", description = "Keep the workers' stores, the logs "
      + "and the network's address under DIR (default: $HYPERINFER_HOME, else the XDG folders, e.g. "
      + "~/.local/share/hyperinfer and ~/.local/state/hyperinfer).")
  Path dir;

  @Option(names = "--processors", paramLabel = "N", defaultValue = "2", description = "How many processors "
      + "(default ${DEFAULT-VALUE}).")
  int processors;

  @Mixin
  EngineOptions engines = new EngineOptions();

  @Option(names = "--fast-hashing", description = "Auth hashes passwords at the cheapest Argon2id cost (tests only).")
  boolean fastHashing;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Logs.setRootLevel("WARN");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (processors < 1 || processors > 16) {
      throw LauncherException.badArgument("--processors must be 1..16, not " + processors);
    }
    NetworkPlan plan = plan();
    DataDirs dirs = plan.dirs();
    Optional<NetworkFile> existing = NetworkFile.read(dirs);
    if (existing.isPresent() && existing.get().running()) {
      throw new LauncherException(LauncherException.Code.FAILED, "a local network already runs with this data "
          + "directory (pid " + existing.get().pid() + ", bootstrap " + existing.get().address() + "): stop it first, "
          + "or give this one another --dir");
    }
    out.println("Starting a local network on 127.0.0.1 (data in " + dirs.data() + ", logs in " + dirs.logs() + ")");
    out.println("Processors: " + engines.describe());
    out.flush();
    try (StopOnSignal signal = new StopOnSignal()) {
      long started = System.nanoTime();
      ProcessNetwork network = ProcessNetwork.start(Launcher.current(), plan, line -> {
        out.printf("  %-32s (%.1f s)%n", line, (System.nanoTime() - started) / 1e9);
        out.flush();
      });
      AtomicBoolean crashed = new AtomicBoolean();
      network.onUnexpectedExit(c -> report(err, c, crashed));
      LocalOperator operator = network.operator().orElseThrow();
      NetworkFile file = new NetworkFile(List.of(network.bootstrap()), ProcessHandle.current().pid(), Instant.now(),
          Optional.of(operator.networkKey()), Optional.of(operator.rosterFile()));
      file.write(dirs);
      printNetwork(out, network, dirs);
      signal.await();
      out.println("Stopping every process: SIGTERM to the workers at once, then to the DHT nodes; SIGKILL to any "
          + "still running " + GRACE.toSeconds() + " s later...");
      out.flush();
      Map<String, Integer> statuses = network.stop(GRACE);
      file.deleteFrom(dirs);
      boolean clean = statuses.values().stream().allMatch(s -> s != null && s == 0) && !crashed.get();
      Set<String> killed = network.killedOnStop();
      statuses.forEach((name, status) -> out.println("  " + name + " exited with status " + status
          + (killed.contains(name) ? " (SIGKILL: still running " + GRACE.toSeconds() + " s after SIGTERM)" : "")));
      out.println(clean ? "Stopped cleanly." : "Stopped; some processes did not exit cleanly (see their logs).");
      out.flush();
      int status = clean ? 0 : 1;
      signal.stopped(status);
      return status;
    }
  }

  private NetworkPlan plan() {
    List<String> auth = new ArrayList<>();
    if (fastHashing) {
      auth.addAll(List.of("--set", "auth.passwordHash=minimum-for-tests"));
    }
    return new NetworkPlan(Optional.ofNullable(dir).map(d -> d.toAbsolutePath().normalize()), 2, processors,
        true, auth, List.of(), engines.asSetFlags(), READY_TIMEOUT).withTrust(Map.of());
  }

  private static void printNetwork(PrintWriter out, ProcessNetwork network, DataDirs dirs) {
    out.println("Local network up: bootstrap " + network.bootstrapAddress());
    network.operator().ifPresent(op -> out.println("Network " + op.networkKey() + ": roster seq "
        + op.roster().roster().seq() + ", " + op.roster().roster().members().size() + " members; strangers on the "
        + "DHT are ignored. Operator folder " + op.dir() + " ('hyperinfer network admit --dir " + op.dir()
        + " --bootstrap " + network.bootstrapAddress() + " --role processor KEY' admits another worker)."));
    for (Child c : network.children()) {
      String what;
      try {
        ReadyLine r = network.ready(c.name());
        what = "key " + r.publicKey().substring(0, 16) + "..."
            + (r.opsPort().isPresent() ? "  ops http://127.0.0.1:" + r.opsPort().getAsInt() : "");
      } catch (IllegalArgumentException dhtNode) {
        what = "DHT node";
      }
      out.printf("  %-12s pid %-7d %s%n    log: %s%n", c.name(), c.pid(), what, c.log());
    }
    out.println("Join it from this machine with no flag, e.g. 'hyperinfer cli register --email you@example.com'"
        + (dirs.equals(DataDirs.forUser()) ? "" : " (with --data-dir " + dirs.data().getParent() + ")")
        + ", or from elsewhere with --bootstrap " + network.bootstrapAddress()
        + network.operator().map(op -> " --network " + op.networkKey()).orElse("") + ".");
    out.println("Ctrl-C stops every process.");
    out.flush();
  }

  private static void report(PrintWriter err, Child child, AtomicBoolean crashed) {
    crashed.set(true);
    synchronized (err) {
      err.println("warning: " + child.name() + " (pid " + child.pid() + ") exited on its own with status "
          + child.exitStatus().orElse(-1) + "; it is not restarted. Last line of its log: "
          + child.logTail(1).stream().findFirst().orElse("(empty)") + " (log: " + child.log() + ")");
      err.flush();
    }
  }
}
