package io.hyperinfer.systemtests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.app.launch.Launcher;
import io.hyperinfer.app.launch.NetworkPlan;
import io.hyperinfer.app.launch.ProcessNetwork;
import io.hyperinfer.app.net.Transport;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.testkit.ProjectPaths;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.RequestOptions;
import io.hyperinfer.worker.net.StreamListener;
import io.hyperinfer.worker.testkit.TestDataFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load generator (a plain main, not a test): the gateway's overhead across processes. A network of processes from
 * the packaged jar (bootstrap, two DHT nodes, a gateway, Auth, one processor on the builtin engine answering one token
 * with no delay) and this JVM as {@code peers} peers on the real stack (each its own HyperDHT node and key, as
 * separate clients would be, so no one peer meets a worker's cap of 256 calls in flight), allowed by the processor as
 * if they were gateways, so they can call the same {@code infer} stream two ways: through the gateway (API key,
 * validation, routing, relay, usage) and on the processor directly (the gateway's own call). The difference is the
 * gateway's overhead. Requests go to the peers in turn.
 *
 * <p>For each path: open-loop pacing at each rate of a ramp (one request every 1/rate s on schedule, latency measured
 * from the scheduled send time, so a stall counts against every request it delays), then closed-loop with a fixed
 * number of requests in flight. Args: [seconds per step = 10] [ramp = 250,500,750,1000,1500,2000] [concurrency = 64]
 * [peers = 4].
 */
public final class GatewayOverheadProcessLoad {
  private static final Path JAR = ProjectPaths.root().resolve("app/target/hyperinfer.jar");
  private static final String MODEL = "builtin-echo";
  private static final RequestOptions OPTIONS = new RequestOptions(Duration.ofSeconds(10), 1);

  private GatewayOverheadProcessLoad() {}

  /** One way to run an inference: the target's key and the open frame's payload, sent by the peers in turn. */
  private record Target(String name, byte[] key, JsonNode payload, List<NetFacility> peers) {
    NetFacility peer(int i) {
      return peers.get(i % peers.size());
    }
  }

  /** What one step measured. */
  private record Step(long sent, long ok, long failed, double seconds, long[] latencyNanos) {
    String row(String label) {
      long[] l = latencyNanos;
      return String.format(Locale.ROOT, "| %s | %,d | %,.0f | %d | %.2f ms | %.2f ms | %.2f ms |", label, sent,
          ok / seconds, failed, ms(l, 0.50), ms(l, 0.99), l.length == 0 ? 0 : l[l.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double q) {
      return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
    }
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int[] ramp = Arrays.stream((args.length > 1 ? args[1] : "250,500,750,1000,1500,2000").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    int peerCount = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    List<KeyPair> keys = new ArrayList<>();
    List<String> processorArgs = new ArrayList<>(List.of("--set", "processor.engine={\"builtin\":{}}", "--set",
        "processor.concurrency=256", "--set", "processor.queue=1024"));
    for (int i = 0; i < peerCount; i++) {
      keys.add(Ed25519.generate());
      processorArgs.addAll(List.of("--allow-gateway", HexFormat.of().formatHex(keys.getLast().publicKey())));
    }
    Path dir = Files.createTempDirectory("gateway-overhead-");
    NetworkPlan plan = new NetworkPlan(Optional.of(dir), 2, 1, 1, false,
        List.of("--set", "auth.passwordHash=minimum-for-tests"),
        List.of("--set", "gateway.limits={\"requestsPerMinute\":0,\"tokensPerMinute\":0,\"concurrency\":0,"
            + "\"dailyTokens\":0}"),
        processorArgs, Duration.ofSeconds(120));
    try (ProcessNetwork network = ProcessNetwork.start(Launcher.jar(JAR), plan)) {
      List<NetFacility> peers = new ArrayList<>();
      try {
        for (KeyPair k : keys) {
          peers.add(Transport.peer("bench-" + peers.size(), List.of(network.bootstrap()), k));
        }
        NetFacility net = peers.getFirst();
        System.out.println("network up, logs in " + dir);
        byte[] gateway = network.ready(ProcessNetwork.GATEWAY).publicKeyBytes();
        byte[] processor = network.ready(ProcessNetwork.processor(1)).publicKeyBytes();
        String email = TestDataFactory.email();
        String password = TestDataFactory.password();
        ObjectNode account = Json.object().put("email", email).put("password", password);
        String userId = call(net, gateway, "register", account).path("userId").asText();
        String session = call(net, gateway, "login", account).path("session").asText();
        String apiKey = call(net, gateway, "createApiKey", Json.object().put("session", session).put("name", "bench"))
            .path("apiKey").asText();
        ObjectNode viaGateway = Json.object().put("apiKey", apiKey).put("model", MODEL).put("prompt", "x")
            .put("maxTokens", 1);
        ObjectNode direct = Json.object().put("model", MODEL).put("prompt", "x").put("maxTokens", 1);
        direct.putObject("caller").put("userId", userId);
        List<Target> targets = List.of(new Target("gateway", gateway, viaGateway, peers),
            new Target("processor", processor, direct, peers));
        for (Target t : targets) {
          closedLoop(t, concurrency, 2 * seconds); // warm-up: JIT, connections, the validation cache
        }
        System.out.println("| path | step | requests | ok/s | failed | p50 | p99 | max |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int rate : ramp) {
          for (Target t : targets) {
            System.out.println(openLoop(t, rate, seconds).row(t.name() + " | open loop " + rate + "/s"));
          }
        }
        for (Target t : targets) {
          System.out.println(closedLoop(t, concurrency, seconds)
              .row(t.name() + " | closed loop, " + concurrency + " in flight"));
        }
      } finally {
        peers.forEach(NetFacility::stop);
      }
    }
  }

  private static JsonNode call(NetFacility net, byte[] key, String method, JsonNode payload) throws Exception {
    return net.request(key, method, payload).get(30, TimeUnit.SECONDS);
  }

  /** Sends at {@code rate} per second on schedule for {@code seconds}, then waits for every answer. */
  private static Step openLoop(Target t, int rate, int seconds) throws InterruptedException {
    int n = rate * seconds;
    long[] latency = new long[n];
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    CountDownLatch done = new CountDownLatch(n);
    long period = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long due = start + i * period;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      send(t, i, due, latency, ok, failed, done);
    }
    done.await(60, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Step(n, ok.get(), failed.get() + done.getCount(), elapsed, sorted(latency));
  }

  /** Keeps {@code inFlight} requests running for {@code seconds}. */
  private static Step closedLoop(Target t, int inFlight, int seconds) throws InterruptedException {
    long[] latency = new long[4_000_000];
    AtomicLong next = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    Thread[] loops = new Thread[inFlight];
    for (int w = 0; w < inFlight; w++) {
      loops[w] = Thread.ofVirtual().start(() -> {
        while (System.nanoTime() < end) {
          int i = (int) next.getAndIncrement();
          CountDownLatch one = new CountDownLatch(1);
          send(t, i % latency.length, System.nanoTime(), latency, ok, failed, one);
          try {
            one.await();
          } catch (InterruptedException e) {
            return;
          }
        }
      });
    }
    for (Thread loop : loops) {
      loop.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Step(next.get(), ok.get(), failed.get(), elapsed, sorted(latency));
  }

  private static void send(Target t, int i, long due, long[] latency, AtomicLong ok, AtomicLong failed,
      CountDownLatch done) {
    t.peer(i).requestStream(t.key(), "infer", t.payload(), new StreamListener() {
      @Override
      public void onChunk(long seq, JsonNode chunk) {}

      @Override
      public void onEnd(JsonNode last) {
        latency[i] = System.nanoTime() - due;
        ok.incrementAndGet();
        done.countDown();
      }

      @Override
      public void onError(NetException error) {
        if (failed.incrementAndGet() <= 3) {
          System.err.println(t.name() + ": " + error.getMessage());
        }
        latency[i] = -1;
        done.countDown();
      }
    }, OPTIONS);
  }

  /** The latencies of the requests that succeeded (failed and unanswered ones are left out), sorted. */
  private static long[] sorted(long[] latency) {
    return Arrays.stream(latency).filter(x -> x > 0).sorted().toArray();
  }
}
