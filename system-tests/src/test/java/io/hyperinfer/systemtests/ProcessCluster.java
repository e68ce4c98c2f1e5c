package io.hyperinfer.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.app.launch.Launcher;
import io.hyperinfer.app.launch.NetworkPlan;
import io.hyperinfer.app.launch.ProcessNetwork;
import io.hyperinfer.app.net.JoinedClient;
import io.hyperinfer.app.net.Transport;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.testkit.ProjectPaths;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.testkit.TestDataFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The end-to-end tier's process harness: a whole network as separate OS processes of the packaged launcher jar on
 * 127.0.0.1 ({@link ProcessNetwork}: a bootstrap node, two DHT nodes, gateways, Auth, processors, each waited for on
 * its ready line), and this JVM as clients and bare peers joined over the real stack (HyperDHT, Noise, UDX,
 * @hyperswarm/rpc). Workers can be SIGKILLed and restarted with their stores. Closing stops every process with SIGTERM
 * and fails if one did not exit cleanly.
 */
final class ProcessCluster implements AutoCloseable {
  static final String MODEL = "builtin-echo";
  /** The jar {@code ./mvnw package} builds (the e2e tier runs after it). */
  static final Path JAR = ProjectPaths.root().resolve("app/target/hyperinfer.jar");
  private static final Duration READY = Duration.ofSeconds(120);
  private static final Duration GRACE = Duration.ofSeconds(20);

  final ProcessNetwork processes;
  private final List<JoinedClient> clients = new ArrayList<>();
  private final List<NetFacility> peers = new ArrayList<>();
  private NetFacility probe;

  private ProcessCluster(ProcessNetwork processes) {
    this.processes = processes;
  }

  /**
   * Starts {@code gateways} gateways, Auth (cheapest password hashing) and {@code processors} processors on the
   * builtin engine configured by {@code engineJson}, with extra {@code gatewayArgs} (e.g. {@code --set key=value}).
   */
  static ProcessCluster start(Path root, int gateways, int processors, String engineJson, List<String> gatewayArgs)
      throws Exception {
    Launcher launcher = Launcher.jar(JAR).withCoverageOfThisJvm();
    List<String> processorArgs = List.of("--set", "processor.engine=" + engineJson, "--set",
        "worker.drainTimeout=300ms");
    ProcessCluster cluster = new ProcessCluster(ProcessNetwork.start(launcher, new NetworkPlan(Optional.of(root), 2,
        gateways, processors, false, List.of("--set", "auth.passwordHash=minimum-for-tests"), gatewayArgs,
        processorArgs, READY)));
    try {
      for (int g = 1; g <= gateways; g++) {
        cluster.awaitReachesAuth(ProcessNetwork.gateway(g));
      }
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /**
   * Restarts {@code name} (SIGKILLed before) with its store. A gateway counts as back once it has reached Auth again,
   * for the reason it does at start ({@link #awaitReachesAuth}: a new process's cold connect can outlast the short
   * {@code gateway.authTimeout}). The lost reply once seen after a restart (Auth ended the restarted gateway's first
   * register as ERR_CONNECTION_LOST) was the old connection's loss overtaking the new call, fixed in the net
   * machinery (worker-net-swarm README, {@code SwarmRestartIT}); FailureSystemTest passes without this wait too.
   */
  void restart(String name) throws Exception {
    processes.restart(name);
    if (name.startsWith(ProcessNetwork.GATEWAY)) {
      awaitReachesAuth(name);
    }
  }

  /**
   * Waits until {@code gateway} has reached Auth once. A gateway is ready before its first connect to Auth, and that
   * cold connect (lookup, handshake) can outlast a short {@code gateway.authTimeout} on a loaded machine: the first
   * register of a test then failed as ERR_AUTH_UNAVAILABLE. Asks with a login of an unknown account, which Auth
   * refuses as ERR_INVALID_CREDENTIALS.
   */
  private void awaitReachesAuth(String gateway) throws Exception {
    byte[] key = processes.ready(gateway).publicKeyBytes();
    NetFacility probe = peer(Ed25519.generate());
    Awaitility.await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> {
      try {
        probe.request(key, "login", Json.object().put("email", TestDataFactory.email())
            .put("password", TestDataFactory.password())).get(30, TimeUnit.SECONDS);
        throw new AssertionError("a login of an unknown account succeeded");
      } catch (ExecutionException e) {
        return NetException.of(e.getCause()).code().equals("ERR_INVALID_CREDENTIALS");
      }
    });
  }

  /** A client joined to the network, with {@code client.timeout} {@code timeout}. */
  ClientWorker client(Duration timeout) throws Exception {
    return client(timeout, null);
  }

  /** As {@link #client(Duration)}, with {@code client.firstReplyTimeout} {@code firstReply} (null: the default). */
  ClientWorker client(Duration timeout, Duration firstReply) throws Exception {
    ObjectNode config = Json.object();
    ObjectNode client = config.putObject("client").put("timeout", timeout.toMillis() + "ms");
    if (firstReply != null) {
      client.put("firstReplyTimeout", firstReply.toMillis() + "ms");
    }
    JoinedClient joined = JoinedClient.join(List.of(processes.bootstrap()), "system-test", config);
    synchronized (clients) {
      clients.add(joined);
    }
    return joined.client();
  }

  ClientWorker client() throws Exception {
    return client(Duration.ofSeconds(30));
  }

  /** A client ({@code client.timeout} {@code timeout}) with a fresh account, logged in: a session, no API key. */
  ClientWorker signedIn(Duration timeout) throws Exception {
    return signedIn(timeout, null);
  }

  /** As {@link #signedIn(Duration)}, with {@code client.firstReplyTimeout} {@code firstReply}. */
  ClientWorker signedIn(Duration timeout, Duration firstReply) throws Exception {
    ClientWorker c = client(timeout, firstReply);
    String email = TestDataFactory.email();
    String password = TestDataFactory.password();
    c.register(email, password);
    c.login(email, password);
    return c;
  }

  /** A client with a fresh account, logged in, holding a new API key. */
  ClientWorker account() throws Exception {
    ClientWorker c = signedIn(Duration.ofSeconds(30));
    c.createApiKey("system-test");
    return c;
  }

  /** A bare peer on the network with identity {@code keys}: it proves that key, and no other, in every handshake. */
  NetFacility peer(KeyPair keys) throws Exception {
    NetFacility net = Transport.peer("peer", List.of(processes.bootstrap()), keys);
    synchronized (peers) {
      peers.add(net);
    }
    return net;
  }

  /** Requests worker {@code name} runs now, asked over the network like a gateway would ({@code status}). */
  synchronized int inFlight(String name) throws Exception {
    if (probe == null) {
      probe = peer(Ed25519.generate());
    }
    JsonNode status = probe.request(processes.ready(name).publicKeyBytes(), "status", Json.object())
        .get(10, TimeUnit.SECONDS);
    return status.path("inFlight").asInt();
  }

  /** The child name of the processor with a request in flight now (the first one found); fails if none has. */
  String processorStreaming() throws Exception {
    for (int i = 1; i <= 2; i++) {
      if (inFlight(ProcessNetwork.processor(i)) > 0) {
        return ProcessNetwork.processor(i);
      }
    }
    throw new AssertionError("no processor is streaming");
  }

  /** The child name of the processor whose short id (first hex characters of its key) is {@code shortId}. */
  String processorNamed(String shortId) {
    for (int i = 1; ; i++) {
      String name = ProcessNetwork.processor(i);
      if (processes.ready(name).publicKey().startsWith(shortId)) {
        return name;
      }
    }
  }

  /** How many lines of worker {@code name}'s log contain {@code text}. */
  long logLines(String name, String text) throws Exception {
    Path log = processes.child(name).log();
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.contains(text)).count();
    }
  }

  @Override
  public void close() throws Exception {
    for (JoinedClient c : clients) {
      c.close();
    }
    peers.forEach(NetFacility::stop);
    Map<String, Integer> statuses = processes.stop(GRACE);
    for (var e : statuses.entrySet()) {
      if (!processes.killed(e.getKey()) && !Integer.valueOf(0).equals(e.getValue())) {
        throw new AssertionError(e.getKey() + " did not stop cleanly: exit status " + e.getValue() + " (log: "
            + processes.child(e.getKey()).log() + ")");
      }
    }
  }
}
