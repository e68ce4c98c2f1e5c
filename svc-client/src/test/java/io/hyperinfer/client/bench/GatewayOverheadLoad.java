package io.hyperinfer.client.bench;

import io.hyperinfer.auth.AuthSettings;
import io.hyperinfer.auth.AuthWorker;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.client.Prompt;
import io.hyperinfer.crypto.PasswordHash;
import io.hyperinfer.gateway.GatewayWorker;
import io.hyperinfer.processor.ProcessorWorker;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.testkit.TestDataFactory;
import io.hyperinfer.worker.testkit.TestNetwork;
import io.hyperinfer.worker.testkit.TestWorkers;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator (a plain main, not a test): gateway overhead on the in-memory network, client -> gateway ->
 * processor -> builtin engine answering one token with no delay (a zero-cost engine). Prints p50/p99 of sequential
 * requests and the throughput of concurrent ones. Args: [sequential requests] [concurrency] [seconds].
 * Belongs in bench/ once that module depends on the service modules.
 */
public final class GatewayOverheadLoad {
  private GatewayOverheadLoad() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    TestNetwork net = TestNetwork.realTime(1);
    TestWorkers workers = new TestWorkers();
    try {
      String limits = "{\"gateway\":{\"statusInterval\":\"1s\",\"limits\":{\"requestsPerMinute\":0,"
          + "\"tokensPerMinute\":0,\"concurrency\":0,\"dailyTokens\":0}}}";
      GatewayWorker g = workers.start(new GatewayWorker(TestDataFactory.context("gateway"),
          Config.of(Json.parse(limits)), net.facilities()));
      String gatewayHex = HexFormat.of().formatHex(g.publicKey());
      workers.start(new AuthWorker(TestDataFactory.context("auth"), Config.empty(), net.facilities(),
          AuthSettings.defaults().withHashing(PasswordHash.MINIMUM_FOR_TESTS).withGateways(Set.of(gatewayHex))));
      workers.start(new ProcessorWorker(TestDataFactory.context("processor"), Config.of(Json.parse(
          "{\"processor\":{\"concurrency\":256,\"queue\":1024,\"allowedGateways\":[\"" + gatewayHex + "\"]}}")),
          net.facilities()));
      ClientWorker c = workers.start(new ClientWorker(TestDataFactory.context("client"), Config.empty(),
          net.facilities()));
      String email = TestDataFactory.email();
      String password = TestDataFactory.password();
      c.register(email, password);
      c.login(email, password);
      c.createApiKey("bench");
      Prompt prompt = Prompt.of("builtin-echo", "x").withMaxTokens(1);

      for (int i = 0; i < 2000; i++) {
        c.infer(prompt);
      }
      long[] nanos = new long[n];
      for (int i = 0; i < n; i++) {
        long t = System.nanoTime();
        c.infer(prompt);
        nanos[i] = System.nanoTime() - t;
      }
      Arrays.sort(nanos);
      System.out.printf(Locale.ROOT, "sequential: %d requests, p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", n,
          nanos[n / 2] / 1e6, nanos[(int) (n * 0.99)] / 1e6, nanos[n - 1] / 1e6);

      AtomicLong done = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      CountDownLatch finished = new CountDownLatch(concurrency);
      for (int i = 0; i < concurrency; i++) {
        Thread.ofVirtual().start(() -> {
          while (System.nanoTime() < end) {
            try {
              c.infer(prompt);
              done.incrementAndGet();
            } catch (RuntimeException e) {
              failed.incrementAndGet();
            }
          }
          finished.countDown();
        });
      }
      finished.await();
      System.out.printf(Locale.ROOT, "throughput: %d concurrent for %d s: %.0f requests/s (%d failed)%n",
          concurrency, seconds, done.get() / (double) seconds, failed.get());
    } finally {
      workers.stopAll();
    }
  }
}
