package io.hyperinfer.worker.net.swarm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.swarm.SwarmNetFacility;
import io.hyperinfer.worker.testkit.TestDataFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A worker-level round trip over the real stack: two {@link SwarmNetFacility} peers on a loopback testnet of four
 * (one JVM), the server answering {@code echo} with a plain {@code RequestHandler}, the client calling
 * {@code request(key, "echo", {"n":i}).join()} from a virtual thread (sequential) and keeping {@code window} requests
 * in flight (pipelined, under the callee's per-peer limit of 256). Each round runs its load unmeasured for
 * {@code warmUpMs} first (C2), then measured. Usage: {@code SwarmRoundTripBench [sequential=5000] [pipelined=20000]
 * [window=128] [rounds=5] [warmUpMs=3000] [connections=swarm|pool]}.
 */
public final class SwarmRoundTripBench {
  private SwarmRoundTripBench() {}

  public static void main(String[] args) throws Exception {
    int sequential = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int pipelined = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int window = args.length > 2 ? Integer.parseInt(args[2]) : 128;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    long warmUpNs = (args.length > 4 ? Long.parseLong(args[4]) : 3_000) * 1_000_000L;
    String connections = args.length > 5 ? args[5] : "swarm";
    try (Testnet net = Testnet.create(4)) {
      SwarmNetFacility server = start(net, connections);
      SwarmNetFacility client = start(net, connections);
      try {
        server.respond("echo", call -> call.payload());
        byte[] key = server.publicKey();
        List<Double> seq = new ArrayList<>();
        List<Double> pipe = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          seq.add(measure(warmUpNs, () -> sequential(client, key, sequential), sequential));
          pipe.add(measure(warmUpNs, () -> pipelined(client, key, pipelined, window), pipelined));
        }
        System.out.printf("connections=%s%n", connections);
        System.out.printf("worker request, sequential: median %.0f/s, rounds %s%n", median(seq), rates(seq));
        System.out.printf("worker request, pipelined (window %d): median %.0f/s, rounds %s%n", window,
            median(pipe), rates(pipe));
      } finally {
        client.stop();
        server.stop();
      }
    }
    System.exit(0);
  }

  private static SwarmNetFacility start(Testnet net, String connections) {
    String bootstrap = "facs.net.bootstrap=[\"" + net.bootstrap().getFirst().host() + ":"
        + net.bootstrap().getFirst().port() + "\"]";
    SwarmNetFacility f = new SwarmNetFacility();
    var keys = Ed25519.generate();
    f.start(new FacilityContext(TestDataFactory.context("bench"), ConfigLoader.withOverrides(Config.empty(),
        List.of(bootstrap, "facs.net.connections=" + connections)), Clock.systemUTC(), new SimpleMeterRegistry(), () -> keys));
    return f;
  }

  /** Runs {@code load} unmeasured for the warm-up, then once measured, on a virtual thread; requests per second. */
  private static double measure(long warmUpNs, Runnable load, int count) throws InterruptedException {
    double[] rate = new double[1];
    Thread t = Thread.ofVirtual().start(() -> {
      try {
        long started = System.nanoTime();
        do {
          load.run();
        } while (System.nanoTime() - started < warmUpNs);
        long t0 = System.nanoTime();
        load.run();
        rate[0] = count / ((System.nanoTime() - t0) / 1e9);
      } catch (RuntimeException e) {
        System.out.println("round failed: " + e); // counted as 0/s
      }
    });
    t.join();
    return rate[0];
  }

  private static void sequential(SwarmNetFacility client, byte[] key, int count) {
    for (int i = 0; i < count; i++) {
      JsonNode reply = client.request(key, "echo", Json.object().put("n", i)).join();
      if (reply.path("n").asInt() != i) {
        throw new IllegalStateException("wrong reply " + reply);
      }
    }
  }

  private static void pipelined(SwarmNetFacility client, byte[] key, int count, int window) {
    for (int sent = 0; sent < count; sent += window) {
      List<CompletableFuture<JsonNode>> batch = new ArrayList<>();
      for (int i = sent; i < Math.min(count, sent + window); i++) {
        batch.add(client.request(key, "echo", Json.object().put("n", i)));
      }
      batch.forEach(CompletableFuture::join);
    }
  }

  private static double median(List<Double> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }

  private static List<String> rates(List<Double> values) {
    return values.stream().map(v -> String.format("%.0f", v)).toList();
  }
}
