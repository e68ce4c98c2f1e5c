package io.hyperinfer.app.launch;

import io.hyperinfer.app.LauncherException;
import io.hyperinfer.app.network.LocalOperator;
import io.hyperinfer.app.worker.WorkerKeys;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.worker.fs.DataDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A whole network as separate processes on 127.0.0.1, started from one {@link Launcher}: a DHT bootstrap node
 * ({@code dht bootstrap}), DHT nodes ({@code dht node}), then Auth, a Gateway and Processors ({@code auth},
 * {@code gateway}, {@code processor}), all at once, each told the bootstrap address and to stop when this process
 * exits. The gateway's key is read from its store first ({@link WorkerKeys}), so Auth and the processors allow it
 * from their start. Each child's output goes to {@code <logs>/<name>.log}. What {@code up} and {@code demo} run, and
 * what tests use to run the real thing. Thread-safe.
 */
public final class ProcessNetwork implements AutoCloseable {
  /** The bootstrap node's child name. */
  public static final String BOOTSTRAP = "bootstrap";
  public static final String AUTH = "auth";
  public static final String GATEWAY = "gateway";
  private static final Pattern LISTENING = Pattern.compile("listening on (\\d+\\.\\d+\\.\\d+\\.\\d+):(\\d+)");
  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(15);

  private final Launcher launcher;
  private final NetworkPlan plan;
  private final Map<String, Child> children = new LinkedHashMap<>();
  private final Map<String, List<String>> arguments = new ConcurrentHashMap<>();
  private final Map<String, ReadyLine> ready = new ConcurrentHashMap<>();
  private final Set<String> expectedExits = ConcurrentHashMap.newKeySet();
  private final Set<String> killedOnStop = ConcurrentHashMap.newKeySet();
  private volatile HostPort bootstrap;
  private volatile LocalOperator operator;
  private volatile boolean stopping;
  private volatile Consumer<Child> onUnexpectedExit = c -> { };

  private ProcessNetwork(Launcher launcher, NetworkPlan plan) {
    this.launcher = launcher;
    this.plan = plan;
  }

  /** The child names of a plan, in start order. */
  public static List<String> names(NetworkPlan plan) {
    List<String> names = new ArrayList<>(List.of(BOOTSTRAP));
    for (int i = 1; i <= plan.dhtNodes(); i++) {
      names.add("dht-" + i);
    }
    for (int i = 1; i <= plan.gateways(); i++) {
      names.add(gateway(i));
    }
    names.add(AUTH);
    for (int i = 1; i <= plan.processors(); i++) {
      names.add(processor(i));
    }
    return names;
  }

  /** The child name of gateway {@code i} (from 1): {@value #GATEWAY}, then {@code gateway-2}, ... */
  public static String gateway(int i) {
    return i == 1 ? GATEWAY : GATEWAY + "-" + i;
  }

  /** The child name of processor {@code i} (from 1). */
  public static String processor(int i) {
    return "processor-" + i;
  }

  /**
   * Starts every process of {@code plan} and returns once each is ready (DHT nodes listening, workers printed their
   * ready line). If one fails, the others are stopped and the failure is thrown: a {@link LauncherException} naming
   * the child, its exit status, the last line of its log and the log file.
   */
  public static ProcessNetwork start(Launcher launcher, NetworkPlan plan) throws IOException {
    return start(launcher, plan, line -> {});
  }

  /** {@link #start(Launcher, NetworkPlan)}, telling {@code progress} as each process becomes ready. */
  public static ProcessNetwork start(Launcher launcher, NetworkPlan plan, java.util.function.Consumer<String> progress)
      throws IOException {
    ProcessNetwork network = new ProcessNetwork(launcher, plan);
    try {
      network.startAll(progress);
    } catch (IOException | RuntimeException | Error e) {
      network.stop(DEFAULT_GRACE);
      throw e;
    }
    return network;
  }

  private void startAll(java.util.function.Consumer<String> progress) throws IOException {
    DataDirs dirs = plan.dirs().create();
    String self = Long.toString(ProcessHandle.current().pid());
    Child boot = launch(BOOTSTRAP, List.of("dht", "bootstrap", "--host", "127.0.0.1", "--port", "0",
        ParentOption.NAME, self));
    List<String> gatewayKeys = new ArrayList<>();
    for (int i = 1; i <= plan.gateways(); i++) {
      String instance = Integer.toString(i);
      gatewayKeys.add(WorkerKeys.keyPair(GATEWAY, instance, dirs.workerStore(GATEWAY, instance)).publicKeyHex());
    }
    Membership members = plan.trust().isPresent() ? Membership.admit(plan, dirs, gatewayKeys) : null;
    operator = members == null ? null : members.operator();
    bootstrap = boot.awaitLine(ProcessNetwork::listening, plan.readyTimeout(), "'listening on HOST:PORT'");
    progress.accept(BOOTSTRAP + " listening on " + bootstrap.host() + ":" + bootstrap.port());
    String join = bootstrap.host() + ":" + bootstrap.port();
    List<Child> dht = new ArrayList<>();
    for (int i = 1; i <= plan.dhtNodes(); i++) {
      dht.add(launch("dht-" + i, List.of("dht", "node", "--host", "127.0.0.1", "--bootstrap", join,
          ParentOption.NAME, self)));
    }
    // Inside a network the roster is the allowlist; outside, Auth and the processors allow the gateways by config.
    List<String> allow = new ArrayList<>();
    if (members == null) {
      gatewayKeys.forEach(k -> allow.addAll(List.of("--allow-gateway", k)));
    }
    for (int i = 1; i <= plan.gateways(); i++) {
      launchWorker(gateway(i), GATEWAY, Integer.toString(i), join, self,
          concat(memberArgs(members, gateway(i)), plan.gatewayArgs()));
    }
    launchWorker(AUTH, AUTH, "1", join, self, concat(memberArgs(members, AUTH), concat(allow, plan.authArgs())));
    for (int i = 1; i <= plan.processors(); i++) {
      launchWorker(processor(i), "processor", Integer.toString(i), join, self,
          concat(memberArgs(members, processor(i)), concat(allow, plan.processorArgs())));
    }
    for (Child d : dht) {
      d.awaitLine(ProcessNetwork::listening, plan.readyTimeout(), "'listening on HOST:PORT'");
      progress.accept(d.name() + " joined the DHT");
    }
    if (members != null) {
      // Workers start from their roster caches; the DHT copy is for clients and for later edits by the operator.
      members.operator().publish(List.of(bootstrap));
      progress.accept("roster seq " + members.operator().roster().roster().seq() + " published");
    }
    for (String name : names(plan)) {
      Child c = child(name);
      if (c.name().equals(BOOTSTRAP) || c.name().startsWith("dht-")) {
        continue;
      }
      ready.put(name, c.awaitReady(plan.readyTimeout()));
      progress.accept(name + " ready");
    }
    for (int i = 1; i <= plan.gateways(); i++) {
      String key = ready.get(gateway(i)).publicKey();
      if (!gatewayKeys.get(i - 1).equals(key)) {
        throw LauncherException.childFailed(child(gateway(i)), gateway(i) + " runs with key " + key + ", not the key "
            + gatewayKeys.get(i - 1) + " read from its store before it started");
      }
    }
  }

  private static List<String> memberArgs(Membership members, String name) {
    return members == null ? List.of() : members.args(name);
  }

  private void launchWorker(String name, String type, String instance, String join, String self, List<String> extra)
      throws IOException {
    List<String> args = new ArrayList<>(List.of(type, "--instance", instance, "--bootstrap", join, ParentOption.NAME,
        self));
    plan.dataDir().ifPresent(d -> args.addAll(List.of("--data-dir", d.toString())));
    if (plan.opsEndpoints()) {
      args.addAll(List.of("--ops-port", "0"));
    }
    args.addAll(extra);
    launch(name, args);
  }

  private Child launch(String name, List<String> args) throws IOException {
    arguments.put(name, List.copyOf(args));
    Child child = launcher.start(name, args, plan.dirs().logs().resolve(name + ".log"));
    synchronized (children) {
      children.put(name, child);
    }
    child.onExit().thenAccept(c -> {
      if (!stopping && !expectedExits.contains(c.name())) {
        onUnexpectedExit.accept(c);
      }
    });
    return child;
  }

  /** Called with a child that exits while the network runs and nobody stopped or killed it. */
  public void onUnexpectedExit(Consumer<Child> listener) {
    onUnexpectedExit = listener;
  }

  /** The network's operator side when the plan has {@link NetworkPlan.Trust}: its key, session key and roster. */
  public Optional<LocalOperator> operator() {
    return Optional.ofNullable(operator);
  }

  /** The address every process joined through. */
  public HostPort bootstrap() {
    return bootstrap;
  }

  /** {@code HOST:PORT} of {@link #bootstrap()}. */
  public String bootstrapAddress() {
    return bootstrap.host() + ":" + bootstrap.port();
  }

  /** The children, in start order. */
  public List<Child> children() {
    synchronized (children) {
      return List.copyOf(children.values());
    }
  }

  /** The child called {@code name} (see {@link #names}). */
  public Child child(String name) {
    synchronized (children) {
      Child c = children.get(name);
      if (c == null) {
        throw new IllegalArgumentException("no child named " + name + " (there are " + children.keySet() + ")");
      }
      return c;
    }
  }

  /** The ready line of worker {@code name}. */
  public ReadyLine ready(String name) {
    ReadyLine line = ready.get(name);
    if (line == null) {
      throw new IllegalArgumentException("no ready worker named " + name);
    }
    return line;
  }

  /** The child of the worker whose public key is {@code publicKeyHex}, if it is one of these. */
  public Optional<Child> workerWithKey(String publicKeyHex) {
    return ready.entrySet().stream().filter(e -> e.getValue().publicKey().equals(publicKeyHex)).findFirst()
        .map(e -> child(e.getKey()));
  }

  /** Kills child {@code name} with SIGKILL (not reported as unexpected) and returns its exit status. */
  public int kill(String name) {
    expectedExits.add(name);
    return child(name).kill();
  }

  /** Whether child {@code name} was killed or stopped on purpose ({@link #kill}, {@link #stopChild}). */
  public boolean killed(String name) {
    return expectedExits.contains(name);
  }

  /** Stops child {@code name} with SIGTERM (SIGKILL after {@code grace}); not reported as unexpected. */
  public int stopChild(String name, Duration grace) {
    expectedExits.add(name);
    return child(name).stop(grace);
  }

  /**
   * Starts worker {@code name} again, with the arguments it had, once its process has exited (a worker reopens its
   * store and keeps its key), and waits until it is ready; returns its new ready line. Its log is started afresh,
   * the old one kept as {@code <name>.log.1}.
   */
  public ReadyLine restart(String name) throws IOException {
    Child old = child(name);
    if (!isWorker(name)) {
      throw new IllegalArgumentException(name + " is not a worker: only workers are restarted");
    }
    if (old.isAlive()) {
      throw new IllegalStateException(name + " still runs: kill or stop it first");
    }
    Path log = old.log();
    Files.move(log, log.resolveSibling(log.getFileName() + ".1"),
        StandardCopyOption.REPLACE_EXISTING);
    Child fresh = launch(name, arguments.get(name));
    expectedExits.remove(name);
    ReadyLine line = fresh.awaitReady(plan.readyTimeout());
    ready.put(name, line);
    return line;
  }

  /**
   * Stops every child still running, in two groups: the workers, then the DHT nodes (which the workers leave through
   * as they stop). Each group gets SIGTERM all at once; whatever of it still runs {@code grace} later gets SIGKILL, so
   * the whole stop takes at most twice {@code grace} (plus, for a child whose output pipe a process of its own still
   * holds, {@link Child#OUTPUT_DRAIN}). It runs on the
   * calling thread and starts none. Returns each child's exit status, in start order; {@link #killedOnStop()} names
   * the ones that needed SIGKILL.
   */
  public Map<String, Integer> stop(Duration grace) {
    stopping = true;
    List<Child> all = children();
    List<Child> workers = all.stream().filter(c -> isWorker(c.name())).toList();
    List<Child> nodes = all.stream().filter(c -> !workers.contains(c)).toList().reversed();
    Map<String, Integer> statuses = new LinkedHashMap<>();
    all.forEach(c -> statuses.put(c.name(), null));
    stopTogether(workers, grace, statuses);
    stopTogether(nodes, grace, statuses);
    return statuses;
  }

  /** The children that {@link #stop} killed with SIGKILL because they still ran {@code grace} after SIGTERM. */
  public Set<String> killedOnStop() {
    return Set.copyOf(killedOnStop);
  }

  private void stopTogether(List<Child> group, Duration grace, Map<String, Integer> statuses) {
    group.forEach(Child::terminate);
    long deadline = System.nanoTime() + grace.toNanos();
    for (Child c : group) {
      c.awaitExit(Duration.ofNanos(deadline - System.nanoTime()));
    }
    for (Child c : group) {
      if (c.isAlive()) {
        killedOnStop.add(c.name());
        statuses.put(c.name(), c.kill());
      } else {
        statuses.put(c.name(), c.exitStatusOnceDrained());
      }
    }
  }

  private static boolean isWorker(String name) {
    return !name.equals(BOOTSTRAP) && !name.startsWith("dht-");
  }

  @Override
  public void close() {
    stop(DEFAULT_GRACE);
  }

  /** The address in a DHT command's {@code listening on HOST:PORT} line. */
  public static Optional<HostPort> listening(String line) {
    Matcher m = LISTENING.matcher(line);
    return m.matches() ? Optional.of(new HostPort(m.group(1), Integer.parseInt(m.group(2)))) : Optional.empty();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
