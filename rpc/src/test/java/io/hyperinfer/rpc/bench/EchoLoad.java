package io.hyperinfer.rpc.bench;

import io.hyperinfer.rpc.ResponseListener;
import io.hyperinfer.rpc.RpcClient;
import io.hyperinfer.rpc.RpcException;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The measured loops of the RPC echo benchmarks ({@link RpcEchoBench} over TCP, {@link RpcUdxEchoBench} over UDX),
 * whatever the transport: 64-byte echoes from a Java client in one of four ways, or from a JS client process, and
 * the table of medians over interleaved rounds. Not thread-safe.
 */
final class EchoLoad {
  static final int PAYLOAD = 64;
  static final int WINDOW = 1000;
  static final Duration WAIT = Duration.ofMinutes(5);
  /** The JS peers: {@code rpc-server.js} (TCP or UDX) and {@code rpc-bench-client.js}. */
  static final Path JS = ProjectPaths.root().resolve("rpc/src/test/js");

  private final Map<String, List<Double>> rates = new LinkedHashMap<>();

  /** A server to measure against: where it listens and its public key. */
  record Target(String name, InetSocketAddress address, byte[] publicKey) {
    static Target parse(String name, String listeningLine) {
      String[] words = listeningLine.split(" ");
      return new Target(name, new InetSocketAddress("127.0.0.1", Integer.parseInt(words[1])),
          HexFormat.of().parseHex(words[2]));
    }
  }

  void record(String mode, String client, Target server, int count, double millis) {
    rates.computeIfAbsent(mode + " " + client + "->" + server.name(), k -> new ArrayList<>())
        .add(count / (millis / 1000));
  }

  void print() {
    System.out.printf("%-34s %12s   %s%n", "mode client->server", "median/s", "rounds (requests/s)");
    rates.forEach((row, values) -> {
      List<Double> sorted = values.stream().sorted().toList();
      System.out.printf("%-34s %12.0f   %s%n", row, sorted.get(sorted.size() / 2),
          values.stream().map(v -> String.format("%.0f", v)).toList());
    });
  }

  /**
   * Runs {@code count} echoes on {@code client} after one warm-up request and returns the milliseconds they took:
   * {@code join} (join each {@link RpcClient#request} future), {@code call} (block in {@link RpcClient#call}),
   * {@code chain} (each response's {@link ResponseListener} sends the next request) or {@code pipelined} (windows of
   * {@value #WINDOW} requests in flight).
   */
  static double run(RpcClient client, String mode, int count) {
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
      case "pipelined" -> pipeline(client, payload, count);
      default -> throw new IllegalArgumentException(mode);
    }
    return (System.nanoTime() - start) / 1e6;
  }

  /** Runs {@code src/test/js/rpc-bench-client.js} over {@code transport} (tcp, udx); returns its milliseconds. */
  static double jsClient(Target target, String transport, String mode, int count) {
    try (JsProcess js = JsPeers.start(JS.resolve("rpc-bench-client.js"), String.valueOf(target.address().getPort()),
        HexFormat.of().formatHex(target.publicKey()), mode, String.valueOf(count), String.valueOf(PAYLOAD),
        String.valueOf(WINDOW), transport)) {
      String[] result = js.awaitLine(l -> l.startsWith("RESULT ") || l.startsWith("FAILED "), WAIT).split(" ");
      if (!result[0].equals("RESULT")) {
        throw new IllegalStateException(String.join(" ", result));
      }
      return Double.parseDouble(result[3]);
    }
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
}
