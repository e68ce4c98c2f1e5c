package io.hyperinfer.hyperbee.bench;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.hyperbee.Batch;
import io.hyperinfer.hyperbee.Encoding;
import io.hyperinfer.hyperbee.Hyperbee;
import io.hyperinfer.hyperbee.Range;
import io.hyperinfer.hypercore.Hypercore;
import io.hyperinfer.hypercore.HypercoreStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Load generator, not a test: hyperbee put one per call with random keys, put in batches of 1,000, random get, and a
 * full range scan, on disk with the default durability. Usage: HyperbeeBench [ops=100000] [rounds=3]
 */
public final class HyperbeeBench {
  /** Thread CPU time beside wall time: this machine is shared, so wall time alone measures the neighbours too. */
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  private static long cpu;

  private HyperbeeBench() {}

  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    for (int round = 1; round <= rounds; round++) {
      runRound(n, round);
    }
  }

  private static String key(SplittableRandom random) {
    return String.format("key-%012d", random.nextLong(1_000_000_000_000L));
  }

  private static void runRound(int n, int round) throws IOException {
    Path dir = Files.createTempDirectory("bee-bench-");
    try (HypercoreStore store = HypercoreStore.open(dir);
        Hypercore single = store.open(Ed25519.generate());
        Hypercore batched = store.open(Ed25519.generate())) {
      SplittableRandom random = new SplittableRandom(round);
      Hyperbee<String, String> bee = Hyperbee.open(single, Encoding.UTF8, Encoding.UTF8);
      long t = start();
      for (int i = 0; i < n; i++) {
        bee.put(key(random), "value-" + i);
      }
      report("bee put single", n, System.nanoTime() - t);

      Hyperbee<String, String> bulk = Hyperbee.open(batched, Encoding.UTF8, Encoding.UTF8);
      SplittableRandom batchRandom = new SplittableRandom(round + 1000);
      t = start();
      for (int i = 0; i < n; i += 1000) {
        try (Batch<String, String> batch = bulk.batch()) {
          for (int k = i; k < Math.min(n, i + 1000); k++) {
            batch.put(key(batchRandom), "value-" + k);
          }
          batch.flush();
        }
      }
      report("bee put batch-1000", n, System.nanoTime() - t);

      SplittableRandom again = new SplittableRandom(round);
      String[] keys = new String[n];
      for (int i = 0; i < n; i++) {
        keys[i] = key(again);
      }
      Hyperbee<String, String> cold = Hyperbee.open(single.session(), Encoding.UTF8, Encoding.UTF8);
      SplittableRandom pick = new SplittableRandom(round + 7);
      t = start();
      int found = 0;
      for (int i = 0; i < n; i++) {
        found += cold.get(keys[pick.nextInt(n)]).isPresent() ? 1 : 0;
      }
      report("bee get random", n, System.nanoTime() - t);
      if (found != n) {
        throw new IllegalStateException("lost keys: " + (n - found));
      }

      int[] count = {0};
      t = start();
      Hyperbee.open(single.session(), Encoding.UTF8, Encoding.UTF8).forEach(Range.all(), e -> ++count[0] > 0);
      report("bee range scan", count[0], System.nanoTime() - t);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long start() {
    cpu = CPU.getCurrentThreadCpuTime();
    return System.nanoTime();
  }

  private static void report(String name, int n, long nanos) {
    long cpuNanos = CPU.getCurrentThreadCpuTime() - cpu;
    System.out.printf("%-20s %,10d ops  %,12.0f ops/s wall  %,12.0f ops/s of thread CPU%n", name, n,
        n / (nanos / 1e9), n / (cpuNanos / 1e9));
  }
}
