package io.hyperinfer.rpc.bench;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.rpc.RpcClient;
import io.hyperinfer.rpc.RpcServer;
import io.hyperinfer.rpc.bench.EchoLoad.Target;
import io.hyperinfer.rpc.udx.UdxRendezvous;
import io.hyperinfer.secretstream.RawStream;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxSocket;
import io.hyperinfer.udx.UdxStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * RPC echo over the HyperDHT connection stack without the DHT: protomux-rpc on secret-stream (XX) on UDX, 64-byte
 * payloads, every server in its own process (a Java server in its own JVM, the JS server
 * {@code src/test/js/rpc-server.js} over UDX), streams paired by {@link UdxRendezvous}. Pipelined (1,000 in flight) and
 * sequential, Java and JS clients against both servers; Java clients block in {@link RpcClient#call} on a virtual
 * thread (the normal API), chain {@link io.hyperinfer.rpc.ResponseListener}s, or pipeline futures. Rounds are
 * interleaved and the median of each row is reported.
 * Usage: {@code RpcUdxEchoBench [pipelinedCount=200000] [sequentialCount=20000] [rounds=5]}.
 */
public final class RpcUdxEchoBench {
  private static final Duration CONNECT = Duration.ofSeconds(10);

  private RpcUdxEchoBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--server")) {
      serveForever();
      return;
    }
    int pipelined = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int sequential = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Process javaServer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        RpcUdxEchoBench.class.getName(), "--server").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (JsProcess jsServer = JsPeers.start(EchoLoad.JS.resolve("rpc-server.js"), "05", "-", "udx");
        Udx udx = Udx.create()) {
      Target js = Target.parse("JS", jsServer.awaitLine(l -> l.startsWith("LISTENING "), EchoLoad.WAIT));
      Target java = Target.parse("Java", new BufferedReader(new InputStreamReader(javaServer.getInputStream(),
          StandardCharsets.UTF_8)).readLine());
      UdxRendezvous rendezvous = new UdxRendezvous(udx, udx.createSocket().bind());
      for (String mode : List.of("pipelined", "call", "chain")) {
        javaClient(rendezvous, java, mode, mode.equals("pipelined") ? pipelined : sequential);
      }
      EchoLoad load = new EchoLoad();
      for (int round = 0; round < rounds; round++) {
        for (Target server : List.of(java, js)) {
          load.record("pipelined", "Java", server, pipelined, javaClient(rendezvous, server, "pipelined", pipelined));
          load.record("pipelined", "JS", server, pipelined, jsClient(server, "pipelined", pipelined));
          load.record("sequential await", "JS", server, sequential, jsClient(server, "sequential", sequential));
          for (String mode : List.of("call", "chain")) {
            load.record("sequential " + mode, "Java", server, sequential,
                javaClient(rendezvous, server, mode, sequential));
          }
        }
      }
      load.print();
    } finally {
      javaServer.destroy();
    }
    System.exit(0);
  }

  /** The Java echo server: one UDX socket, every accepted stream served by one {@link RpcServer}. */
  private static void serveForever() throws InterruptedException {
    KeyPair keys = Ed25519.fromSeed(new byte[32]);
    RpcServer server = new RpcServer().respondAsync("echo", r -> CompletableFuture.completedFuture(r.value()));
    Udx udx = Udx.create();
    UdxSocket socket = udx.createSocket().bind();
    new UdxRendezvous(udx, socket).serve(stream ->
        server.start(SecretStream.builder(RawStream.of(stream), false).keyPair(keys)));
    System.out.println("LISTENING " + socket.localAddress().getPort() + " " + HexFormat.of().formatHex(
        keys.publicKey()));
    System.out.flush();
    Thread.currentThread().join();
  }

  /** One connection per run, its client on a virtual thread as services call. */
  private static double javaClient(UdxRendezvous rendezvous, Target target, String mode, int count)
      throws InterruptedException {
    double[] millis = new double[1];
    Thread.ofVirtual().start(() -> {
      try {
        UdxStream stream = rendezvous.connect(target.address(), CONNECT);
        RpcClient client = RpcClient.start(SecretStream.builder(RawStream.of(stream), true)
            .keyPair(Ed25519.generate()), target.publicKey());
        millis[0] = EchoLoad.run(client, mode, count);
        client.close();
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException(e);
      }
    }).join();
    return millis[0];
  }

  private static double jsClient(Target target, String mode, int count) {
    return EchoLoad.jsClient(target, "udx", mode, count);
  }
}
