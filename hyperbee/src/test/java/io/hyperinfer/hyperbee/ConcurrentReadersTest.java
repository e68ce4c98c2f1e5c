package io.hyperinfer.hyperbee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.hypercore.Hypercore;
import io.hyperinfer.hypercore.HypercoreStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentReadersTest {
  @TempDir Path dir;

  @Test
  @Timeout(60)
  void shouldAlwaysFindAcknowledgedKeysWhenReadingDuringWrites() throws Exception {
    try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = store.open(Ed25519.fromSeed(new byte[32]));
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Hyperbee<String, String> bee = Hyperbee.open(core, Encoding.UTF8, Encoding.UTF8);
      AtomicInteger acked = new AtomicInteger(-1);
      AtomicBoolean done = new AtomicBoolean();
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        int seed = r;
        readers.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(seed);
          int reads = 0;
          while (reads < 300 && !(done.get() && reads > 0)) {
            int upTo = acked.get();
            if (upTo < 0) {
              Thread.onSpinWait();
              continue;
            }
            int i = random.nextInt(upTo + 1);
            assertEquals("v" + i, bee.get(String.format("k%05d", i)).orElseThrow().value());
            if (reads % 16 == 0) {
              int seen = bee.range(Range.<String>all().lte(String.format("k%05d", upTo))).size();
              assertEquals(upTo + 1, seen);
            }
            reads++;
          }
          return reads;
        }));
      }
      for (int i = 0; i < 300; i++) {
        bee.put(String.format("k%05d", i), "v" + i);
        acked.set(i);
      }
      done.set(true);
      for (Future<Integer> reader : readers) {
        assertTrue(reader.get() > 0);
      }
    }
  }
}
