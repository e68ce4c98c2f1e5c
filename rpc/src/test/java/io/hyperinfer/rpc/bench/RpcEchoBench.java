package io.hyperinfer.rpc.bench;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.rpc.ResponseListener;
import io.hyperinfer.rpc.RpcClient;
import io.hyperinfer.rpc.RpcException;
import io.hyperinfer.rpc.RpcServer;
import io.hyperinfer.rpc.TcpRpc;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import java.io.BufferedReader;
import java.io.IOException;
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
 * RPC echo load generator over TCP loopback (every server in its own process) with secret-stream + protomux-rpc,
 * 64-byte payloads, pipelined (window of 1,000 in flight) and sequential (one request in flight), for Java and JS
 * clients and servers in every combination. Prints requests/s.
 *
 * <p>A JS client waits with {@code await}; its continuation runs on the event loop that reads the socket. A Java
 * client waits in one of three ways: {@code join} (a virtual thread joins {@link RpcClient#request}'s future),
 * {@code call} (a virtual thread blocks in {@link RpcClient#call}) and {@code chain} (each response's
 * {@link ResponseListener} sends the next request on the connection's reader, the JS shape). Rows marked "spin" use a
 * Java server and client whose reads spin 50 us before blocking ({@link TcpRpc#listen(RpcServer, KeyPair,
 * InetSocketAddress, Duration)}).
 *
 * <p>The whole table is measured {@code rounds} times, interleaved, and the median of each row is reported, because
 * loopback numbers on a shared machine swing with its load.
 * Usage: {@code RpcEchoBench [pipelinedCount=200000] [sequentialCount=20000] [rounds=3]}.
 */
public final class RpcEchoBench {
  private static final Path JS = ProjectPaths.root().resolve("rpc/src/test/js");
  private static final Duration WAIT = Duration.ofMinutes(5);
  private static final int PAYLOAD = 64;
  private static final int WINDOW = 1000;
  private static final Duration SPIN = Duration.ofNanos(50_000);
  private static final List<String> JAVA_MODES = List.of("pipelined", "join", "call", "chain");

  private RpcEchoBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--server")) {
      serveForever(Duration.ofNanos(Long.parseLong(args[1])));
      return;
    }
    int pipelined = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int sequential = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Process javaServer = startJavaServer(Duration.ZERO);
    Process spinningServer = startJavaServer(SPIN);
    try (JsProcess jsServer = JsPeers.start(JS.resolve("rpc-server.js"), "05")) {
      String[] line = jsServer.awaitLine(l -> l.startsWith("LISTENING "), WAIT).split(" ");
      Target js = new Target("JS", new InetSocketAddress("127.0.0.1", Integer.parseInt(line[1])),
          HexFormat.of().parseHex(line[2]), Duration.ZERO);
      Target java = javaTarget("Java", javaServer, Duration.ZERO);
      Target spinning = javaTarget("Java(spin)", spinningServer, SPIN);
      for (Target warm : List.of(java, spinning)) {
        for (String mode : JAVA_MODES) {
          javaClient(warm, mode, mode.equals("pipelined") ? pipelined : sequential);
        }
      }
      Map<String, List<Double>> rates = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        for (Target server : List.of(java, js)) {
          record(rates, "pipelined", "Java", server, pipelined, javaClient(server, "pipelined", pipelined));
          record(rates, "pipelined", "JS", server, pipelined, jsClient(server, "pipelined", pipelined));
          record(rates, "sequential await", "JS", server, sequential, jsClient(server, "sequential", sequential));
        }
        for (Target server : List.of(java, js, spinning)) {
          for (String mode : List.of("join", "call", "chain")) {
            record(rates, "sequential " + mode, "Java", server, sequential, javaClient(server, mode, sequential));
          }
        }
      }
      System.out.printf("%-34s %12s   %s%n", "mode client->server", "median/s", "rounds (requests/s)");
      rates.forEach((row, values) -> {
        List<Double> sorted = values.stream().sorted().toList();
        System.out.printf("%-34s %12.0f   %s%n", row, sorted.get(sorted.size() / 2),
            values.stream().map(v -> String.format("%.0f", v)).toList());
      });
    }
    javaServer.destroy();
    spinningServer.destroy();
    System.exit(0);
  }

  private static Process startJavaServer(Duration readSpin) throws IOException {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        RpcEchoBench.class.getName(), "--server", String.valueOf(readSpin.toNanos()))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static Target javaTarget(String name, Process server, Duration readSpin) throws IOException {
    String[] line = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
        .readLine().split(" ");
    return new Target(name, new InetSocketAddress("127.0.0.1", Integer.parseInt(line[1])),
        HexFormat.of().parseHex(line[2]), readSpin);
  }

  /** The Java echo server in its own JVM, as the JS server runs in its own process. */
  private static void serveForever(Duration readSpin) throws InterruptedException {
    KeyPair serverKeys = Ed25519.fromSeed(new byte[32]);
    RpcServer server = new RpcServer().respondAsync("echo", r -> CompletableFuture.completedFuture(r.value()));
    TcpRpc.Listener listener = TcpRpc.listen(server, serverKeys, new InetSocketAddress("127.0.0.1", 0), readSpin);
    System.out.println("LISTENING " + listener.address().getPort() + " " + HexFormat.of().formatHex(
        serverKeys.publicKey()));
    System.out.flush();
    Thread.currentThread().join();
  }

  private record Target(String name, InetSocketAddress address, byte[] publicKey, Duration readSpin) {}

  private static void record(Map<String, List<Double>> rates, String mode, String client, Target server, int count,
      double millis) {
    String row = mode + " " + client + "->" + server.name;
    rates.computeIfAbsent(row, k -> new ArrayList<>()).add(count / (millis / 1000));
  }

  /** Runs the client on a virtual thread, as services do for blocking calls. */
  private static double javaClient(Target target, String mode, int count) throws InterruptedException {
    double[] millis = new double[1];
    Thread.ofVirtual().start(() -> millis[0] = runJavaClient(target, mode, count)).join();
    return millis[0];
  }

  private static double runJavaClient(Target target, String mode, int count) {
    RpcClient client = TcpRpc.connect(target.address, target.publicKey, Ed25519.generate(), target.readSpin);
    byte[] payload = new byte[PAYLOAD];
    client.request("echo", payload).join();
    long start = System.nanoTime();
    switch (mode) {
      case "join" -> {
        for (int i = 0; i < count; i++) {
          client.request("echo", payload).join();
        }
      }
      case "call" -> {
        for (int i = 0; i < count; i++) {
          client.call("echo", payload);
        }
      }
      case "chain" -> chain(client, payload, count).join();
      default -> pipeline(client, payload, count);
    }
    double millis = (System.nanoTime() - start) / 1e6;
    client.close();
    return millis;
  }

  /** Sends {@code count} requests one after another, each from the listener of the previous response. */
  private static CompletableFuture<Void> chain(RpcClient client, byte[] payload, int count) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    client.request("echo", payload, null, new ResponseListener() {
      private int left = count;

      @Override
      public void onResponse(byte[] value) {
        if (--left == 0) {
          done.complete(null);
        } else {
          client.request("echo", payload, null, this);
        }
      }

      @Override
      public void onError(RpcException error) {
        done.completeExceptionally(error);
      }
    });
    return done;
  }

  private static void pipeline(RpcClient client, byte[] payload, int count) {
    List<CompletableFuture<byte[]>> batch = new ArrayList<>(WINDOW);
    for (int done = 0; done < count; done += WINDOW) {
      batch.clear();
      for (int i = 0; i < Math.min(WINDOW, count - done); i++) {
        batch.add(client.request("echo", payload));
      }
      CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
    }
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
