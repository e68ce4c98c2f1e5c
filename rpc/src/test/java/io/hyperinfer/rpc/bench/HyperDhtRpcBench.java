package io.hyperinfer.rpc.bench;

import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.ConnectOptions;
import io.hyperinfer.hyperdht.ConnectTrace;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtCrypto;
import io.hyperinfer.hyperdht.HyperDhtOptions;
import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.rpc.HyperswarmRpc;
import io.hyperinfer.rpc.HyperswarmRpcOptions;
import io.hyperinfer.rpc.HyperswarmRpcServer;
import io.hyperinfer.rpc.RpcClient;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * @hyperswarm/rpc over HyperDHT connections, Java against JS, every peer in its own process on one Java testnet of
 * five nodes (in this JVM) on 127.0.0.1. Cold connect: a client process connects once to each of {@code keys} servers
 * it never connected to (lookup, handshake, first 64-byte echo, measured from connect to the answer), p50/p90/p99 and
 * timeouts (30 s), after 20 connects to other keys that are not counted. Echo over one established connection:
 * sequential (Java: {@code call} from a virtual thread; JS: {@code await} in a loop) and pipelined (windows of 1,000),
 * rounds interleaved, medians. Every client process runs its load unmeasured first, again and again for
 * {@code warmUpMs} (at least once; Java and JS alike), then once measured: a fresh JVM needs ~100,000 requests before
 * C2 has compiled the path, so a single warm-up run measures the JIT, not the connection. The Java server answers
 * with a {@code respondAsync} handler (on the connection's loop, as a JS handler runs on its event loop).
 * Usage: {@code HyperDhtRpcBench [keys=100] [sequential=5000] [pipelined=50000] [rounds=3] [warmUpMs=4000]} (a count
 * of 0 skips that mode; {@code -Dbench.rows} picks pairs); the
 * same class runs the server and client processes ({@code server ...}, {@code cold|sequential|pipelined ...}).
 */
public final class HyperDhtRpcBench {
  private static final Path PEER = EchoLoad.JS.resolve("hdht-bench-peer.js");
  private static final byte[] PAYLOAD = new byte[64];
  private static final Duration COLD_TIMEOUT = Duration.ofSeconds(30);
  /** Cold connects each client process makes first, to keys of their own, and that are not counted (JIT warm-up). */
  private static final int WARM_UP_KEYS = 20;
  private static final String WINDOW = String.valueOf(EchoLoad.WINDOW);
  /** {@code -Dbench.rows=Java->Java,JS->JS}: only these client->server pairs (default: all four). */
  private static final java.util.function.Predicate<String> ROWS = row -> {
    String only = System.getProperty("bench.rows", "");
    return only.isBlank() || Arrays.asList(only.split(",")).contains(row);
  };

  private HyperDhtRpcBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && !Character.isDigit(args[0].charAt(0))) {
      peer(args);
      return;
    }
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int sequential = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    int pipelined = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    String warmUpMs = args.length > 4 ? args[4] : "4000";
    try (Testnet net = Testnet.create(5)) {
      String port = String.valueOf(net.bootstrap().get(0).port());
      String servers = String.valueOf(keys + WARM_UP_KEYS);
      Process javaServer = java("server", port, "1", servers);
      try (JsProcess jsServer = JsPeers.start(PEER, "server", port, "2", servers)) {
        String javaKeys = listening(firstLine(javaServer));
        String jsKeys = listening(jsServer.awaitLine(l -> l.startsWith("LISTENING "), EchoLoad.WAIT));
        if (ROWS.test("Java->Java")) {
          cold("Java->Java", run(java("cold", port, javaKeys)));
        }
        if (ROWS.test("JS->JS")) {
          cold("JS->JS", run(JsPeers.start(PEER, "cold", port, jsKeys)));
        }
        if (ROWS.test("Java->JS")) {
          cold("Java->JS", run(java("cold", port, jsKeys)));
        }
        if (ROWS.test("JS->Java")) {
          cold("JS->Java", run(JsPeers.start(PEER, "cold", port, javaKeys)));
        }
        String javaKey = javaKeys.split(",")[0];
        String jsKey = jsKeys.split(",")[0];
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
          for (String mode : List.of("sequential", "pipelined")) {
            int count = mode.equals("sequential") ? sequential : pipelined;
            String n = String.valueOf(count);
            if (count == 0) {
              continue;
            }
            if (ROWS.test("Java->Java")) {
              measured(rates, mode + " Java->Java", count, java(mode, port, javaKey, n, warmUpMs), javaServer.pid());
            }
            if (ROWS.test("JS->JS")) {
              measured(rates, mode + " JS->JS", count, JsPeers.start(PEER, mode, port, jsKey, n, WINDOW, warmUpMs),
                  jsServer.pid());
            }
            if (ROWS.test("Java->JS")) {
              measured(rates, mode + " Java->JS", count, java(mode, port, jsKey, n, warmUpMs), jsServer.pid());
            }
            if (ROWS.test("JS->Java")) {
              measured(rates, mode + " JS->Java", count, JsPeers.start(PEER, mode, port, javaKey, n, WINDOW,
                  warmUpMs), javaServer.pid());
            }
          }
        }
        System.out.printf("%-40s %10s   %s%n", "echo client->server", "median/s", "rounds (requests/s)");
        rates.forEach((row, values) -> {
          String f = row.endsWith("/req") ? "%.2f" : "%.0f"; // per request, or requests/s
          System.out.printf("%-40s %10s   %s%n", row, String.format(f, values.stream().sorted().toList()
              .get(values.size() / 2)), values.stream().map(v -> String.format(f, v)).toList());
        });
      } finally {
        javaServer.destroy();
      }
    }
    System.exit(0);
  }

  private static String listening(String line) {
    if (!line.startsWith("LISTENING ")) {
      throw new IllegalStateException(line);
    }
    return line.substring("LISTENING ".length());
  }

  private static void cold(String row, String line) {
    String[] words = line.split(" ");
    List<Double> times = new ArrayList<>();
    int timeouts = 0;
    for (int i = 1 + WARM_UP_KEYS; i < words.length; i++) {
      if (words[i].equals("T")) {
        timeouts++;
      } else {
        times.add(Double.parseDouble(words[i]));
      }
    }
    List<Double> sorted = times.stream().sorted().toList();
    System.out.printf("cold connect %-10s n=%d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms timeouts=%d%n", row,
        times.size(), pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted.get(sorted.size() - 1), timeouts);
  }

  private static double pct(List<Double> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  /** Runs one measured client (Java process): the server's counters are read when it starts measuring and at its end. */
  private static void measured(Map<String, List<Double>> rates, String row, int count, Process client, long serverPid)
      throws Exception {
    BufferedReader lines = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
    String line = lines.readLine();
    long[] serverBefore = switches(serverPid);
    if (line != null && line.equals("MEASURING")) {
      line = lines.readLine();
    }
    client.waitFor();
    rate(rates, row, count, String.valueOf(line), serverPid, serverBefore);
  }

  /** Runs one measured client (node process), as above. */
  private static void measured(Map<String, List<Double>> rates, String row, int count, JsProcess client,
      long serverPid) {
    try (client) {
      String first = client.awaitLine(l -> l.equals("MEASURING") || l.startsWith("FAILED "), EchoLoad.WAIT);
      long[] serverBefore = switches(serverPid);
      String result = first.equals("MEASURING")
          ? client.awaitLine(l -> l.startsWith("RESULT ") || l.startsWith("FAILED "), EchoLoad.WAIT) : first;
      rate(rates, row, count, result, serverPid, serverBefore);
    }
  }

  private static void rate(Map<String, List<Double>> rates, String row, int count, String line, long serverPid,
      long[] serverBefore) {
    String[] words = line.split(" ");
    if (!words[0].equals("RESULT")) {
      throw new IllegalStateException(line);
    }
    long[] serverAfter = switches(serverPid);
    rates.computeIfAbsent(row, k -> new ArrayList<>()).add(count / (Double.parseDouble(words[3]) / 1000));
    // sleeps per request: each voluntary switch is a thread that blocked and had to be woken again
    if (words.length >= 7) {
      rates.computeIfAbsent(row + " client sleeps/req", k -> new ArrayList<>())
          .add(Double.parseDouble(words[4]) / count);
      rates.computeIfAbsent(row + " client CPU us/req", k -> new ArrayList<>())
          .add(Double.parseDouble(words[6]) / count);
    }
    rates.computeIfAbsent(row + " server sleeps/req", k -> new ArrayList<>())
        .add((serverAfter[0] - serverBefore[0]) / (double) count);
    rates.computeIfAbsent(row + " server CPU us/req", k -> new ArrayList<>())
        .add((serverAfter[2] - serverBefore[2]) / 1000.0 / count);
  }

  /**
   * Voluntary and involuntary context switches and CPU nanoseconds ({@code schedstat}) of every thread of process
   * {@code pid} ({@code /proc}, Linux; zeros elsewhere; a thread that ended is no longer counted), read when a client starts its measured run and when it reports: the server's figures also count its
   * own background work meanwhile (DHT upkeep, 240 servers' announces), a few hundred per second.
   */
  static long[] switches(long pid) {
    long[] total = new long[3];
    Path tasks = Path.of("/proc", String.valueOf(pid), "task");
    try (var dirs = java.nio.file.Files.list(tasks)) {
      for (Path task : dirs.toList()) {
        try {
          for (String l : java.nio.file.Files.readAllLines(task.resolve("status"))) {
            if (l.startsWith("voluntary_ctxt_switches:")) {
              total[0] += Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
            } else if (l.startsWith("nonvoluntary_ctxt_switches:")) {
              total[1] += Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
            }
          }
          total[2] += Long.parseLong(java.nio.file.Files.readString(task.resolve("schedstat")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
          // a thread that ended meanwhile
        }
      }
    } catch (IOException e) {
      return total;
    }
    return total;
  }

  private static Process java(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
    // tuning properties (-Dhyperinfer.udx.leadSpinMicros=0 ...) reach every Java peer
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("hyperinfer.udx."))
        .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
    command.add(HyperDhtRpcBench.class.getName());
    command.addAll(Arrays.asList(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static String firstLine(Process p) throws IOException {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
  }

  private static String run(Process p) throws Exception {
    String line = firstLine(p);
    p.waitFor();
    return line;
  }

  private static String run(JsProcess js) {
    try (js) {
      return js.awaitLine(l -> l.startsWith("RESULT ") || l.startsWith("COLD ") || l.startsWith("FAILED "),
          EchoLoad.WAIT);
    }
  }

  /** A server or client process of the benchmark (the same protocol as {@code hdht-bench-peer.js}). */
  private static void peer(String[] args) throws Exception {
    // firewalled, as the JS peers' nodes end up on loopback (their quick firewall check loses its race): a client
    // that says it is reachable is dialled by the server at once, and that first packet can beat the handshake reply
    HyperDht dht = HyperDht.create(HyperDhtOptions.DEFAULT.withHost("127.0.0.1")
        .withNode(NodeOptions.DEFAULT.withQuickFirewall(false))
        .withBootstrap(List.of(new HostPort("127.0.0.1", Integer.parseInt(args[1]))))
        .withMode(NodeOptions.Mode.EPHEMERAL));
    dht.ready().join();
    HexFormat hex = HexFormat.of();
    switch (args[0]) {
      case "server" -> {
        int seedBase = Integer.parseInt(args[2]);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(args[3]); i++) {
          byte[] seed = new byte[32];
          seed[0] = (byte) seedBase;
          seed[1] = (byte) i;
          seed[2] = (byte) (i >> 8);
          HyperswarmRpc rpc = new HyperswarmRpc(dht, io.hyperinfer.rpc.HyperswarmRpcOptions.DEFAULT
              .withKeyPair(HyperDhtCrypto.keyPair(seed)));
          // a handler that cannot block answers on the connection's loop, as a JS handler on the event loop
          HyperswarmRpcServer server = rpc.createServer()
              .respondAsync("echo", r -> CompletableFuture.completedFuture(r.value()));
          server.listen().join();
          keys.add(hex.formatHex(server.publicKey()));
        }
        System.out.println("LISTENING " + String.join(",", keys));
        System.out.flush();
        Thread.currentThread().join(); // serve until destroyed
      }
      case "cold" -> {
        // HDHT_TRACE=1: every connect's steps (ConnectTrace, ms since connect) and the echo's time go to stderr
        boolean traced = System.getenv("HDHT_TRACE") != null;
        CompletableFuture<ConnectTrace>[] last = new CompletableFuture[1];
        HyperswarmRpc rpc = new HyperswarmRpc(dht, HyperswarmRpcOptions.DEFAULT.withConnect(
            ConnectOptions.DEFAULT.withTraceSink(t -> last[0].complete(t))));
        StringBuilder out = new StringBuilder("COLD");
        for (String key : args[2].split(",")) {
          last[0] = new CompletableFuture<>();
          long started = System.nanoTime();
          RpcClient client = rpc.connect(hex.parseHex(key), null);
          try {
            client.call("echo", PAYLOAD, COLD_TIMEOUT);
            double ms = (System.nanoTime() - started) / 1e6;
            out.append(String.format(" %.2f", ms));
            if (traced) {
              System.err.printf("TRACE %.2f ms: %s%n", ms, last[0].getNow(null));
            }
          } catch (RuntimeException e) {
            out.append(" T");
          }
          client.close();
        }
        System.out.println(out);
      }
      default -> {
        HyperswarmRpc rpc = new HyperswarmRpc(dht);
        RpcClient client = rpc.connect(hex.parseHex(args[2]), null);
        int count = Integer.parseInt(args[3]);
        long warmUpNs = Long.parseLong(args[4]) * 1_000_000L;
        double[] took = new double[1];
        String mode = args[0].equals("sequential") ? "call" : "pipelined";
        long[] before = new long[3];
        long[] after = new long[3];
        Thread t = Thread.ofVirtual().start(() -> {
          long started = System.nanoTime();
          do {
            EchoLoad.run(client, mode, count); // warm-up, as the JS peer does
          } while (System.nanoTime() - started < warmUpNs);
          System.out.println("MEASURING"); // the bench samples the server's counters now
          System.out.flush();
          System.arraycopy(switches(ProcessHandle.current().pid()), 0, before, 0, 3);
          took[0] = EchoLoad.run(client, mode, count);
          System.arraycopy(switches(ProcessHandle.current().pid()), 0, after, 0, 3);
        });
        t.join();
        System.out.printf("RESULT %s %d %.1f %d %d %d%n", args[0], count, took[0], after[0] - before[0],
            after[1] - before[1], (after[2] - before[2]) / 1000);
      }
    }
    System.out.flush();
    dht.close();
    System.exit(0);
  }
}
