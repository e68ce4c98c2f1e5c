package io.hyperinfer.hypercore.bench;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.hypercore.Hypercore;
import io.hyperinfer.hypercore.HypercoreStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Load generator, not a test: appends N blocks one per call, then N in calls of 1,000, each on a fresh on-disk store
 * with the default durability (RocksDB WAL, no fsync: what hypercore 11 uses). Prints ops/s and bytes on disk.
 * Usage: HypercoreAppendBench [blocks=100000] [rounds=3]
 */
public final class HypercoreAppendBench {
  /** Thread CPU time beside wall time: this machine is shared, so wall time alone measures the neighbours too. */
  static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private HypercoreAppendBench() {}

  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    for (int round = 1; round <= rounds; round++) {
      report("append single", n, run(n, 1));
      report("append batch-1000", n, run(n, 1000));
    }
  }

  private static long[] run(int n, int batchSize) throws IOException {
    Path dir = Files.createTempDirectory("hc-bench-");
    try {
      long start;
      long end;
      long cpuStart;
      long cpuEnd;
      try (HypercoreStore store = HypercoreStore.open(dir);
          Hypercore core = store.open(Ed25519.generate())) {
        start = System.nanoTime();
        cpuStart = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i += batchSize) {
          List<byte[]> batch = new ArrayList<>(batchSize);
          for (int k = i; k < Math.min(n, i + batchSize); k++) {
            batch.add(("block-" + k + "-payload-of-about-sixty-four-bytes-xxxxxxxxxxxxxxxxxxxx")
                .getBytes(StandardCharsets.UTF_8));
          }
          core.append(batch);
        }
        end = System.nanoTime();
        cpuEnd = CPU.getCurrentThreadCpuTime();
      }
      return new long[] {end - start, size(dir), cpuEnd - cpuStart};
    } finally {
      delete(dir);
    }
  }

  static void report(String name, int n, long[] result) {
    System.out.printf("%-20s %,10d ops  %,12.0f ops/s wall  %,12.0f ops/s of thread CPU  %,8.1f MB on disk%n",
        name, n, n / (result[0] / 1e9), n / (result[2] / 1e9), result[1] / 1e6);
  }

  static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
