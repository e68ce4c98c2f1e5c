package io.hyperinfer.nattestbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.hyperinfer.testkit.NatDht;
import io.hyperinfer.testkit.NatKind;
import io.hyperinfer.testkit.NatPeer;
import io.hyperinfer.testkit.NatPeer.ConnectResult;
import io.hyperinfer.testkit.NatPeer.Outcome;
import io.hyperinfer.testkit.NatTestbed;
import io.hyperinfer.testkit.NatTopology;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NAT matrix: for each pair of peer kinds (open, full cone, port-restricted, symmetric), a client connects to a
 * fresh server a few times, plus two peers behind one NAT and two relay cells; each cell must do what the pinned JS
 * does ({@link Cell.Expect}). Implementations come from {@code -Dnat.peers} (default {@code js,java}: the pinned JS
 * peer and {@link JavaNatPeer} on this JVM's test classpath); any other name {@code x}, or {@code java} run another
 * way, needs {@code -Dnat.peer.x="<command speaking the peer protocol, with {host} and {bootstrap}>"}, and
 * then every client/server pairing of the listed implementations runs. {@code -Dnat.cells=<text>} keeps the cells
 * whose name contains it; {@code -Dnat.pairs=java->js,...} keeps those client->server pairings only;
 * {@code -Dnat.trials} sets the trials per cell. The table lands in {@code target/nat-matrix.md}. See
 * docs/NAT-TESTBED.md.
 */
@Timeout(180)
class NatMatrixIT {
  private static final int TRIALS = Integer.getInteger("nat.trials", 3);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(Long.getLong("nat.connect.seconds", 25));
  private static final Duration ACCEPTED = Duration.ofSeconds(10);
  private static final int RELAY_SEED = 9;
  private static final String RELAY_KEY = "{relay}";
  private static final MatrixReport REPORT = new MatrixReport();
  private static final Map<String, NatPeer> PEERS = new ConcurrentHashMap<>();
  private static NatTestbed bed;
  private static NatDht dht;
  private static Instant started;

  @BeforeAll
  static void start() {
    started = Instant.now();
    NatTopology topology = NatTopology.of(6);
    for (PeerKind kind : PeerKind.values()) {
      for (int which = 1; which <= 2; which++) {
        String peer = kind.peer(which);
        topology = kind.nat() == null ? topology.open(peer) : topology.site(peer, kind.nat(), peer);
      }
    }
    topology = topology.site("lan", NatKind.PORT_RESTRICTED, "lana", "lanb");
    bed = NatTestbed.start(topology);
    dht = NatDht.start(bed, OptionalInt.of(RELAY_SEED));
  }

  @AfterAll
  static void stop() throws IOException {
    PEERS.values().forEach(NatPeer::close);
    if (dht != null) {
      dht.close();
    }
    if (bed != null) {
      bed.close();
    }
    if (started == null) {
      return;
    }
    String heading = "NAT matrix, " + TRIALS + " trials per cell, " + Instant.now() + ", "
        + Runtime.getRuntime().availableProcessors() + " CPUs, load " + loadAverage() + ", "
        + Duration.between(started, Instant.now()).toSeconds() + " s in all";
    String table = REPORT.markdown(heading);
    System.out.println(table);
    Path out = Path.of("target", "nat-matrix.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
  }

  static List<MatrixRun> runs() {
    List<Cell> cells = new ArrayList<>();
    for (PeerKind client : PeerKind.values()) {
      for (PeerKind server : PeerKind.values()) {
        cells.add(new Cell(client.label() + " -> " + server.label(), client.peer(1), server.peer(2), Map.of(),
            Map.of(), expect(client, server)));
      }
    }
    cells.add(new Cell("same NAT (port-restricted), LAN path", "lana", "lanb", Map.of(), Map.of(),
        Cell.Expect.LAN_DIRECT));
    cells.add(new Cell("symmetric -> symmetric, client relayThrough", "sym1", "sym2", Map.of(),
        Map.of("relayThrough", RELAY_KEY), Cell.Expect.RELAYED));
    cells.add(new Cell("symmetric -> symmetric, server relayThrough", "sym1", "sym2",
        Map.of("relayThrough", RELAY_KEY), Map.of(), Cell.Expect.RELAYED));
    List<String> impls = List.of(System.getProperty("nat.peers", "js,java").split(","));
    String only = System.getProperty("nat.cells", "");
    List<String> pairs = List.of(System.getProperty("nat.pairs", "").split(",")).stream().map(String::strip)
        .filter(p -> !p.isEmpty()).toList();
    List<MatrixRun> runs = new ArrayList<>();
    for (Cell cell : cells) {
      if (!cell.name().contains(only)) {
        continue;
      }
      for (String clientImpl : impls) {
        for (String serverImpl : impls) {
          String c = clientImpl.strip();
          String s = serverImpl.strip();
          if (!pairs.isEmpty() && !pairs.contains(c + "->" + s)) {
            continue;
          }
          runs.add(new MatrixRun(cell, c, s, runs.size()));
        }
      }
    }
    return runs;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void shouldConnectAsThePinnedJsDoesWhenPeersSitBehindNats(MatrixRun run) {
    Cell cell = run.cell();
    NatPeer server = peer(run.serverImpl(), cell.server());
    NatPeer client = peer(run.clientImpl(), cell.client());
    String relayHost = dht.relay().orElseThrow().host();
    long matchedBefore = relayMatched();
    List<ConnectResult> trials = new ArrayList<>();
    try {
      for (int t = 0; t < TRIALS; t++) {
        NatPeer.Listening listening = server.listen(run.index() * 100 + t + 1, withRelay(cell.listenOpts()));
        ConnectResult result = client.connect(listening.publicKey(), withRelay(cell.connectOpts()), relayHost,
            CONNECT_TIMEOUT);
        trials.add(result);
        if (result.connected()) {
          server.awaitAccepted(ACCEPTED);
        }
      }
    } catch (AssertionError | RuntimeException e) {
      // a peer that stopped answering is replaced, so the next cells start clean: one stuck trial fails one cell
      retire(run.serverImpl(), cell.server());
      retire(run.clientImpl(), cell.client());
      REPORT.add(run, trials, "(a peer stopped answering: " + e.getMessage().lines().findFirst().orElse("") + ")");
      throw new AssertionError(run + ": a peer stopped answering after " + trials.size() + " trials " + trials, e);
    }
    long matched = relayMatched() - matchedBefore;
    REPORT.add(run, trials, cell.expect() == Cell.Expect.RELAYED ? "(relay pairings matched: " + matched + ")" : "");
    String violation = cell.violation(trials);
    if (violation != null) {
      fail(run + ": " + violation + ": " + trials + "\nserver after the last trial: " + serverState(server));
    }
    if (cell.expect() == Cell.Expect.RELAYED) {
      assertEquals(trials.stream().filter(t -> t.outcome() == Outcome.RELAYED).count(), matched,
          "the relay paired each relayed connection");
    }
  }

  /** The server peer's counters and, for the Java peer, what it saw of each connection (its ServerLog). */
  private static String serverState(NatPeer server) {
    try {
      return server.stats().toString();
    } catch (AssertionError | RuntimeException e) {
      return "no answer to stats: " + e.getMessage();
    }
  }

  private static void retire(String impl, String name) {
    NatPeer peer = PEERS.remove(impl + ":" + name);
    if (peer != null) {
      peer.close();
    }
  }

  private static Cell.Expect expect(PeerKind client, PeerKind server) {
    boolean clientRandom = client == PeerKind.SYMMETRIC;
    boolean serverRandom = server == PeerKind.SYMMETRIC;
    if (clientRandom && serverRandom) {
      return Cell.Expect.FAILS;
    }
    // A random NAT against a consistent one that filters: only the birthday punch can open it.
    if ((clientRandom && server == PeerKind.PORT_RESTRICTED) || (serverRandom && client == PeerKind.PORT_RESTRICTED)) {
      return Cell.Expect.CONNECTS_MOSTLY;
    }
    return Cell.Expect.CONNECTS;
  }

  private static NatPeer peer(String impl, String name) {
    return PEERS.computeIfAbsent(impl + ":" + name, k -> {
      if (impl.equals("js")) {
        return NatPeer.js(bed, name, dht.bootstrap());
      }
      String command = System.getProperty("nat.peer." + impl);
      if ((command == null || command.isBlank()) && impl.equals("java")) {
        command = javaPeerCommand();
      }
      if (command == null || command.isBlank()) {
        throw new IllegalArgumentException("nat.peers lists " + impl + " but -Dnat.peer." + impl + " is not set");
      }
      return NatPeer.start(bed, name, dht.bootstrap(), List.of(command.strip().split("\\s+")));
    });
  }

  /**
   * The Java peer ({@link JavaNatPeer}) on this JVM's own JDK and test classpath, as an absolute command (it runs
   * under {@code ip netns exec} from the repository root).
   */
  private static String javaPeerCommand() {
    String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(p -> Path.of(p).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
    return launcher + " --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -Xss512k -cp " + classpath + " "
        + JavaNatPeer.class.getName() + " {host} {bootstrap}";
  }

  private static Map<String, Object> withRelay(Map<String, Object> opts) {
    Map<String, Object> out = new HashMap<>(opts);
    out.replaceAll((k, v) -> RELAY_KEY.equals(v) ? dht.relay().orElseThrow().publicKey() : v);
    return out;
  }

  private static long relayMatched() {
    return dht.relayStats().path("pairings").path("matched").asLong();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
