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
              rate(rates, mode + " Java->Java", count, run(java(mode, port, javaKey, n, warmUpMs)));
            }
            if (ROWS.test("JS->JS")) {
              rate(rates, mode + " JS->JS", count, run(JsPeers.start(PEER, mode, port, jsKey, n, WINDOW, warmUpMs)));
            }
            if (ROWS.test("Java->JS")) {
              rate(rates, mode + " Java->JS", count, run(java(mode, port, jsKey, n, warmUpMs)));
            }
            if (ROWS.test("JS->Java")) {
              rate(rates, mode + " JS->Java", count, run(JsPeers.start(PEER, mode, port, javaKey, n, WINDOW,
                  warmUpMs)));
            }
          }
        }
        System.out.printf("%-26s %10s   %s%n", "echo client->server", "median/s", "rounds (requests/s)");
        rates.forEach((row, values) -> System.out.printf("%-26s %10.0f   %s%n", row,
            values.stream().sorted().toList().get(values.size() / 2),
            values.stream().map(v -> String.format("%.0f", v)).toList()));
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

  private static void rate(Map<String, List<Double>> rates, String row, int count, String line) {
    String[] words = line.split(" ");
    if (!words[0].equals("RESULT")) {
      throw new IllegalStateException(line);
    }
    rates.computeIfAbsent(row, k -> new ArrayList<>()).add(count / (Double.parseDouble(words[3]) / 1000));
  }

  private static Process java(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        HyperDhtRpcBench.class.getName()));
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
        Thread t = Thread.ofVirtual().start(() -> {
          long started = System.nanoTime();
          do {
            EchoLoad.run(client, mode, count); // warm-up, as the JS peer does
          } while (System.nanoTime() - started < warmUpNs);
          took[0] = EchoLoad.run(client, mode, count);
        });
        t.join();
        System.out.printf("RESULT %s %d %.1f%n", args[0], count, took[0]);
      }
    }
    System.out.flush();
    dht.close();
    System.exit(0);
  }
}
