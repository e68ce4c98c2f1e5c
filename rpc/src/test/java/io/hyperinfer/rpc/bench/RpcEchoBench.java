package io.hyperinfer.rpc.bench;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.rpc.RpcClient;
import io.hyperinfer.rpc.RpcServer;
import io.hyperinfer.rpc.TcpRpc;
import io.hyperinfer.rpc.bench.EchoLoad.Target;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * RPC echo load generator over TCP loopback (every server in its own process) with secret-stream + protomux-rpc,
 * 64-byte payloads, pipelined (window of 1,000 in flight) and sequential (one request in flight), for Java and JS
 * clients and servers in every combination. Prints requests/s.
 *
 * <p>A JS client waits with {@code await}; its continuation runs on the event loop that reads the socket. A Java
 * client waits in one of three ways ({@link EchoLoad#run}): {@code join} (a virtual thread joins
 * {@link RpcClient#request}'s future), {@code call} (a virtual thread blocks in {@link RpcClient#call}) and
 * {@code chain} (each response's listener sends the next request on the connection's reader, the JS shape). Rows
 * marked "spin" use a Java server and client whose reads spin 50 us before blocking ({@link TcpRpc#listen(RpcServer,
 * KeyPair, InetSocketAddress, Duration)}).
 *
 * <p>The whole table is measured {@code rounds} times, interleaved, and the median of each row is reported, because
 * loopback numbers on a shared machine swing with its load.
 * Usage: {@code RpcEchoBench [pipelinedCount=200000] [sequentialCount=20000] [rounds=3]}.
 */
public final class RpcEchoBench {
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
    try (JsProcess jsServer = JsPeers.start(EchoLoad.JS.resolve("rpc-server.js"), "05")) {
      Target js = Target.parse("JS", jsServer.awaitLine(l -> l.startsWith("LISTENING "), EchoLoad.WAIT));
      Target java = javaTarget("Java", javaServer);
      Target spinning = javaTarget("Java(spin)", spinningServer);
      for (Target warm : List.of(java, spinning)) {
        for (String mode : JAVA_MODES) {
          javaClient(warm, mode, mode.equals("pipelined") ? pipelined : sequential);
        }
      }
      EchoLoad load = new EchoLoad();
      for (int round = 0; round < rounds; round++) {
        for (Target server : List.of(java, js)) {
          load.record("pipelined", "Java", server, pipelined, javaClient(server, "pipelined", pipelined));
          load.record("pipelined", "JS", server, pipelined, jsClient(server, "pipelined", pipelined));
          load.record("sequential await", "JS", server, sequential, jsClient(server, "sequential", sequential));
        }
        for (Target server : List.of(java, js, spinning)) {
          for (String mode : List.of("join", "call", "chain")) {
            load.record("sequential " + mode, "Java", server, sequential, javaClient(server, mode, sequential));
          }
        }
      }
      load.print();
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

  private static Target javaTarget(String name, Process server) throws IOException {
    return Target.parse(name, new BufferedReader(new InputStreamReader(server.getInputStream(),
        StandardCharsets.UTF_8)).readLine());
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

  /** Runs the client on a virtual thread, as services do for blocking calls; spinning reads for the spin server. */
  private static double javaClient(Target target, String mode, int count) throws InterruptedException {
    Duration readSpin = target.name().contains("spin") ? SPIN : Duration.ZERO;
    double[] millis = new double[1];
    Thread.ofVirtual().start(() -> {
      RpcClient client = TcpRpc.connect(target.address(), target.publicKey(), Ed25519.generate(), readSpin);
      millis[0] = EchoLoad.run(client, mode, count);
      client.close();
    }).join();
    return millis[0];
  }

  private static double jsClient(Target target, String mode, int count) {
    return EchoLoad.jsClient(target, "tcp", mode, count);
  }
}
