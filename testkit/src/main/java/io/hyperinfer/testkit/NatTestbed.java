package io.hyperinfer.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Linux network namespaces joined by veth pairs with nftables NAT between them, built from a {@link NatTopology}:
 * one "internet" namespace holding a bridge (the DHT infrastructure binds its addresses there), one namespace per NAT
 * router, one per peer. Only the topology's private addresses exist inside, and no namespace has a default route,
 * so nothing a test runs here can reach the host's uplink or anything else outside.
 *
 * <p>Names are {@code hinat-<pid>-<n>-...}: unique per JVM and run, so parallel runs never collide; a run whose JVM
 * is gone (aborted, killed) is removed by the next {@link #start}. {@link #close} (also a shutdown hook) ends every
 * process started here and deletes every namespace. Needs root, {@code ip} and {@code nft}: see {@link #require}.
 * Thread-safe.
 */
public final class NatTestbed implements AutoCloseable {
  static final String PREFIX = "hinat-";
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final NatTopology topology;
  private final String run;
  private final Map<String, String> peerNamespaces = new LinkedHashMap<>();
  private final List<String> namespaces = new CopyOnWriteArrayList<>();
  private final List<JsProcess> processes = new CopyOnWriteArrayList<>();
  private final Thread shutdownHook = new Thread(this::close, "nat-testbed-cleanup");
  private boolean closed;

  private NatTestbed(NatTopology topology) {
    this.topology = topology;
    this.run = PREFIX + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet() + "-";
  }

  /** Skips the calling test with a loud message where namespaces cannot be made; under CI it fails instead. */
  public static void require() {
    String reason = NatSupport.unavailableReason();
    if (reason == null) {
      return;
    }
    String message = "NAT TESTBED SKIPPED: " + reason
        + ". It needs root (CAP_NET_ADMIN), iproute2 and nftables (apt-get install nftables; .ci/run does it).";
    System.err.println("\n*** " + message + " ***\n");
    if (NatSupport.required()) {
      throw new AssertionError(message + " (required here: CI=true or -Dnat.required=true)");
    }
    Assumptions.abort(message);
  }

  /** Builds {@code topology}, after removing what aborted runs left behind; the caller closes it. */
  public static NatTestbed start(NatTopology topology) {
    require();
    NatSupport.removeStaleRuns();
    NatTestbed bed = new NatTestbed(topology);
    Runtime.getRuntime().addShutdownHook(bed.shutdownHook);
    try {
      new NatBuilder(bed.run, topology).build(bed.namespaces, bed.peerNamespaces);
    } catch (RuntimeException e) {
      bed.close();
      throw e;
    }
    return bed;
  }

  /** A script of the testbed's JS side, in {@code testkit/src/main/resources/nat/}. */
  public static Path script(String name) {
    return ProjectPaths.root().resolve("testkit/src/main/resources/nat").resolve(name);
  }

  public NatTopology topology() {
    return topology;
  }

  /** The namespace holding the internet bridge and the DHT infrastructure addresses. */
  public String internetNamespace() {
    return run + "inet";
  }

  /** The namespace of {@code peer}. */
  public String namespace(String peer) {
    String ns = peerNamespaces.get(peer);
    if (ns == null) {
      throw new IllegalArgumentException("no peer " + peer + " in this testbed");
    }
    return ns;
  }

  /** Where {@code peer} sits: the address it binds and the one the internet sees. */
  public NatTopology.Placement placement(String peer) {
    namespace(peer);
    return topology.placements().get(peer);
  }

  /** Every namespace of this run, internet first. */
  public List<String> namespaces() {
    return List.copyOf(namespaces);
  }

  /** Runs a short command inside {@code namespace} to completion and returns its output. */
  public String run(String namespace, String... command) {
    List<String> full = new ArrayList<>(NatSupport.exec(namespace));
    full.addAll(List.of(command));
    return HostCommands.run(full, "");
  }

  /**
   * Starts a long-running, line-speaking command inside {@code namespace} (a JS or Java peer); it runs from the
   * repository root with {@code NODE_PATH} set to the pinned JS packages, and ends when this testbed closes.
   */
  public JsProcess start(String namespace, List<String> command) {
    List<String> full = new ArrayList<>(NatSupport.exec(namespace));
    full.addAll(command);
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("testbed closed");
      }
      JsProcess process = NatSupport.spawn(full);
      processes.add(process);
      return process;
    }
  }

  /** Starts {@code node script args...} inside {@code namespace}; see {@link #start(String, List)}. */
  public JsProcess startNode(String namespace, Path script, String... args) {
    JsPeers.require();
    List<String> command = new ArrayList<>(List.of("node", script.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    return start(namespace, command);
  }

  /** Ends every process started here, then deletes every namespace. Idempotent. */
  @Override
  public void close() {
    List<String> toDelete;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toDelete = List.copyOf(namespaces);
    }
    processes.forEach(JsProcess::close);
    NatSupport.deleteNamespaces(toDelete);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // this call is the hook itself, or the JVM is exiting: nothing left to unregister
    }
  }
}
