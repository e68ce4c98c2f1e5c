package io.hyperinfer.rpc.bench;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.rpc.RpcClient;
import io.hyperinfer.rpc.RpcServer;
import io.hyperinfer.rpc.TcpRpc;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * RPC echo load generator over TCP loopback (every server in its own process) with secret-stream + protomux-rpc, 64-byte payloads, pipelined (window of
 * 1,000 in flight) and sequential, for Java and JS clients and servers in every combination. Prints requests/s.
 * The whole table is measured {@code rounds} times, interleaved, and the median of each row is reported, because
 * loopback numbers on a shared machine swing with its load.
 * Usage: {@code RpcEchoBench [pipelinedCount=200000] [sequentialCount=20000] [rounds=3]}.
 */
public final class RpcEchoBench {
  private static final Path JS = ProjectPaths.root().resolve("rpc/src/test/js");
  private static final Duration WAIT = Duration.ofMinutes(5);
  private static final int PAYLOAD = 64;
  private static final int WINDOW = 1000;

  private RpcEchoBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--server")) {
      serveForever();
      return;
    }
    int pipelined = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int sequential = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Process javaServer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        RpcEchoBench.class.getName(), "--server").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (JsProcess jsServer = JsPeers.start(JS.resolve("rpc-server.js"), "05")) {
      String[] line = jsServer.awaitLine(l -> l.startsWith("LISTENING "), WAIT).split(" ");
      Target js = new Target("JS", new InetSocketAddress("127.0.0.1", Integer.parseInt(line[1])),
          HexFormat.of().parseHex(line[2]));
      String[] javaLine = new BufferedReader(new InputStreamReader(javaServer.getInputStream(),
          StandardCharsets.UTF_8)).readLine().split(" ");
      Target java = new Target("Java", new InetSocketAddress("127.0.0.1", Integer.parseInt(javaLine[1])),
          HexFormat.of().parseHex(javaLine[2]));
      javaClient(java, "pipelined", pipelined);
      javaClient(java, "sequential", sequential);
      Map<String, List<Double>> rates = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        for (String mode : List.of("pipelined", "sequential")) {
          int count = mode.equals("pipelined") ? pipelined : sequential;
          for (Target server : List.of(java, js)) {
            record(rates, mode, "Java", server.name, count, javaClient(server, mode, count));
            record(rates, mode, "JS", server.name, count, jsClient(server, mode, count));
          }
        }
      }
      System.out.printf("%-26s %12s   %s%n", "mode client->server", "median/s", "rounds (requests/s)");
      rates.forEach((row, values) -> {
        List<Double> sorted = values.stream().sorted().toList();
        System.out.printf("%-26s %12.0f   %s%n", row, sorted.get(sorted.size() / 2),
            values.stream().map(v -> String.format("%.0f", v)).toList());
      });
    }
    javaServer.destroy();
    System.exit(0);
  }

  /** The Java echo server in its own JVM, as the JS server runs in its own process. */
  private static void serveForever() throws InterruptedException {
    KeyPair serverKeys = Ed25519.fromSeed(new byte[32]);
    RpcServer server = new RpcServer().respondAsync("echo", r -> CompletableFuture.completedFuture(r.value()));
    TcpRpc.Listener listener = TcpRpc.listen(server, serverKeys, new InetSocketAddress("127.0.0.1", 0));
    System.out.println("LISTENING " + listener.address().getPort() + " " + HexFormat.of().formatHex(
        serverKeys.publicKey()));
    System.out.flush();
    Thread.currentThread().join();
  }

  private record Target(String name, InetSocketAddress address, byte[] publicKey) {}

  private static void record(Map<String, List<Double>> rates, String mode, String client, String server, int count,
      double millis) {
    String row = mode + " " + client + "->" + server;
    rates.computeIfAbsent(row, k -> new ArrayList<>()).add(count / (millis / 1000));
  }

  /** Runs the client on a virtual thread, as services do for blocking calls. */
  private static double javaClient(Target target, String mode, int count) throws InterruptedException {
    double[] millis = new double[1];
    Thread.ofVirtual().start(() -> millis[0] = runJavaClient(target, mode, count)).join();
    return millis[0];
  }

  private static double runJavaClient(Target target, String mode, int count) {
    RpcClient client = TcpRpc.connect(target.address, target.publicKey, Ed25519.generate());
    byte[] payload = new byte[PAYLOAD];
    client.request("echo", payload).join();
    long start = System.nanoTime();
    if (mode.equals("sequential")) {
      for (int i = 0; i < count; i++) {
        client.request("echo", payload).join();
      }
    } else {
      List<CompletableFuture<byte[]>> batch = new ArrayList<>(WINDOW);
      for (int done = 0; done < count; done += WINDOW) {
        batch.clear();
        for (int i = 0; i < Math.min(WINDOW, count - done); i++) {
          batch.add(client.request("echo", payload));
        }
        CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
      }
    }
    double millis = (System.nanoTime() - start) / 1e6;
    client.close();
    return millis;
  }

  private static double jsClient(Target target, String mode, int count) {
    try (JsProcess js = JsPeers.start(JS.resolve("rpc-bench-client.js"), String.valueOf(target.address.getPort()),
        HexFormat.of().formatHex(target.publicKey), mode, String.valueOf(count), String.valueOf(PAYLOAD),
        String.valueOf(WINDOW))) {
      String[] result = js.awaitLine(l -> l.startsWith("RESULT ") || l.startsWith("FAILED "), WAIT).split(" ");
      if (!result[0].equals("RESULT")) {
        throw new IllegalStateException(String.join(" ", result));
      }
      return Double.parseDouble(result[3]);
    }
  }
}
