package io.hyperinfer.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.app.launch.Launcher;
import io.hyperinfer.app.launch.NetworkConfig;
import io.hyperinfer.app.launch.NetworkPlan;
import io.hyperinfer.app.launch.ProcessNetwork;
import io.hyperinfer.app.net.JoinedClient;
import io.hyperinfer.app.network.LocalOperator;
import io.hyperinfer.app.net.Transport;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.network.Role;
import io.hyperinfer.worker.fs.DataDirs;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What demo steps share: the network of worker processes ({@link ProcessNetwork}, started by a step and stopped on
 * close), the demo's own peers on that network (named, each with its own key pair: a user, a gateway Auth allows, a
 * probe), joined clients, and values handed from step to step. Every worker is a separate OS process on 127.0.0.1;
 * the demo process joins the network over the real stack like any other peer. Confined to the demo's thread.
 */
public final class DemoContext implements AutoCloseable {
  /** How long a demo request may take before the step fails. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
  /** Topic the demo's calls go to unless a step says otherwise. */
  public static final String AUTH_TOPIC = "hyperinfer/auth";
  /** How long a worker process gets between SIGTERM and SIGKILL at shutdown. */
  static final Duration GRACE = Duration.ofSeconds(15);
  /** How long each process may take to be ready (JVM start, bootstrap, store) on a loaded machine. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Launcher launcher;
  private final Path root;
  private final boolean fastHashing;
  private final Map<String, KeyPair> peerKeys = new LinkedHashMap<>();
  private final Map<String, NetFacility> peers = new LinkedHashMap<>();
  private final List<JoinedClient> clients = new ArrayList<>();
  private final Map<String, Object> values = new ConcurrentHashMap<>();
  private ProcessNetwork network;
  private Map<String, Integer> exitStatuses = Map.of();

  /**
   * @param launcher how to start the worker processes
   * @param root the data directory of the network (stores under {@code data/workers}, logs under {@code state/logs})
   * @param fastHashing whether Auth uses the cheapest Argon2id cost (tests) instead of the production one
   */
  public DemoContext(Launcher launcher, Path root, boolean fastHashing) {
    this.launcher = launcher;
    this.root = root;
    this.fastHashing = fastHashing;
  }

  /**
   * Starts the bootstrap node, two DHT nodes, a Gateway, Auth and {@code processors} Processors as processes, inside
   * a network of their own whose roster also names the demo's own gateway peer ({@link AuthDemoSteps#GATEWAY_PEER}).
   */
  public ProcessNetwork startNetwork(int processors, List<String> processorArgs, List<String> gatewayArgs)
      throws Exception {
    if (network != null) {
      throw new IllegalStateException("the network is already started");
    }
    List<String> auth = List.of("--set", "auth.passwordHash=" + (fastHashing ? "minimum-for-tests" : "interactive"));
    List<String> gateway = new ArrayList<>(List.of("--set", "gateway.statusInterval=1s"));
    gateway.addAll(gatewayArgs);
    network = ProcessNetwork.start(launcher, new NetworkPlan(Optional.of(root), 2, processors, false, auth,
        gateway, processorArgs, READY_TIMEOUT).withTrust(Map.of(hex(peerKeys(AuthDemoSteps.GATEWAY_PEER)),
        Role.GATEWAY)));
    return network;
  }

  /** The network's operator side (its key, session key and roster); fails the step when no network runs. */
  public LocalOperator operator() {
    return network().operator().orElseThrow(() -> new DemoFailure("the network should run with a network key"));
  }

  /** A config joining the network (bootstrap, network key) with process {@code name}'s own seeded roster cache. */
  private ObjectNode joining(String name) {
    ObjectNode tree = Transport.joining(List.of(network().bootstrap()));
    LocalOperator op = operator();
    NetworkConfig.put(tree, "network", op.networkKey(), DataDirs.under(root), name, Optional.of(op.rosterFile()));
    return tree;
  }

  /** The running network; fails the step when no step started one. */
  public ProcessNetwork network() {
    if (network == null) {
      throw new DemoFailure("an earlier step should have started the network");
    }
    return network;
  }

  public Clock clock() {
    return Clock.systemUTC();
  }

  public boolean fastHashing() {
    return fastHashing;
  }

  /** The key pair of the demo's peer {@code name}, made on first use (so Auth can allow it before it joins). */
  public KeyPair peerKeys(String name) {
    return peerKeys.computeIfAbsent(name, n -> Ed25519.generate());
  }

  /** The demo's peer {@code name}, joined to the network on first use. */
  public NetFacility peer(String name) throws Exception {
    NetFacility net = peers.get(name);
    if (net == null) {
      net = Transport.peer(name, joining(name), peerKeys(name));
      peers.put(name, net);
    }
    return net;
  }

  /** A new client joined to the network, stopped when the demo ends. */
  public ClientWorker joinClient(String name) throws Exception {
    JoinedClient joined = JoinedClient.join(List.of(network().bootstrap()), name, joining(name));
    clients.add(joined);
    return joined.client();
  }

  /** Calls {@code method} on the Auth topic from peer {@code from} and returns the reply. */
  public JsonNode call(String from, String method, JsonNode payload) throws Exception {
    return call(from, AUTH_TOPIC, method, payload);
  }

  public JsonNode call(String from, String topic, String method, JsonNode payload) throws Exception {
    try {
      return peer(from).topicRequest(topic, method, payload).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Calls {@code method} and checks that it fails with {@code expectedCode}; returns the code. */
  public String callExpectingError(String from, String method, JsonNode payload, String expectedCode)
      throws Exception {
    try {
      JsonNode reply = call(from, method, payload);
      throw new DemoFailure("expected " + expectedCode + " but the call succeeded: " + reply.size() + " fields");
    } catch (NetException e) {
      DemoFailure.check(expectedCode.equals(e.code()), "expected " + expectedCode + " but got " + e.code()
          + " (" + e.getMessage() + ")");
      return e.code();
    } catch (TimeoutException e) {
      throw new DemoFailure("expected " + expectedCode + " but the call timed out");
    }
  }

  public void put(String key, Object value) {
    values.put(key, value);
  }

  /** The value a previous step stored under {@code key}; fails the step when it is missing. */
  public <T> T get(String key, Class<T> type) {
    Object value = values.get(key);
    if (value == null) {
      throw new DemoFailure("an earlier step should have provided '" + key + "'");
    }
    return type.cast(value);
  }

  /**
   * Stops the demo's clients and peers, then every process (workers first, SIGTERM, SIGKILL after a bound); true when
   * each process still running exited with status 0 (a process the demo killed on purpose does not count).
   */
  public boolean shutdown() {
    boolean clean = true;
    for (JoinedClient c : clients) {
      try {
        c.close();
      } catch (Exception e) {
        clean = false;
      }
    }
    clients.clear();
    peers.values().forEach(NetFacility::stop);
    peers.clear();
    if (network != null) {
      Map<String, Integer> statuses = network.stop(GRACE);
      exitStatuses = statuses;
      for (var e : statuses.entrySet()) {
        if (!network.killed(e.getKey()) && (e.getValue() == null || e.getValue() != 0)) {
          clean = false;
        }
      }
      network = null;
    }
    return clean;
  }

  /** Each process's exit status after {@link #shutdown()}. */
  public Map<String, Integer> exitStatuses() {
    return exitStatuses;
  }

  @Override
  public void close() {
    shutdown();
  }

  private static String hex(KeyPair keys) {
    return HexFormat.of().formatHex(keys.publicKey());
  }
}
