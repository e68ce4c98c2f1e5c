package io.hyperinfer.hyperbee;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.hypercore.Hypercore;
import io.hyperinfer.hypercore.HypercoreStore;
import io.hyperinfer.testkit.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeded random operation sequences checked step by step against a TreeMap model. */
class BeeModelTest {
  @TempDir Path dir;

  private static String key(SplittableRandom r) {
    return "k" + r.nextInt(400);
  }

  /** 1,000 steps in the fuzz tier; the unit tier runs fewer of the same generator. */
  @Tag("fuzz")
  @Test
  void shouldMatchATreeMapWhenRandomOperationsAreApplied() {
    SplittableRandom random = Seeds.random("BeeModelTest");
    TreeMap<String, String> model = new TreeMap<>();
    Map<Long, TreeMap<String, String>> versions = new HashMap<>();
    try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = store.open(Ed25519.fromSeed(new byte[32]))) {
      Hyperbee<String, String> bee = Hyperbee.open(core, Encoding.UTF8, Encoding.UTF8);
      for (int step = 0, steps = Seeds.cases(1_000, 250); step < steps; step++) {
        int op = random.nextInt(10);
        if (op < 5) {
          String k = key(random);
          String v = "v" + random.nextInt(5);
          assertEquals(!v.equals(model.get(k)), bee.put(k, v), "put " + k);
          model.put(k, v);
        } else if (op < 8) {
          String k = key(random);
          assertEquals(model.containsKey(k), bee.del(k), "del " + k);
          model.remove(k);
        } else if (op == 8) {
          try (Batch<String, String> batch = bee.batch()) {
            for (int i = random.nextInt(30); i > 0; i--) {
              String k = key(random);
              if (random.nextBoolean()) {
                batch.put(k, "b" + step);
                model.put(k, "b" + step);
              } else {
                batch.del(k);
                model.remove(k);
              }
            }
            batch.flush();
          }
        } else {
          checkRange(bee, model, random);
        }
        versions.put(bee.version(), new TreeMap<>(model));
        String probe = key(random);
        assertEquals(model.get(probe), bee.get(probe).map(Entry::value).orElse(null), "get " + probe);
      }
      assertEquals(List.copyOf(model.entrySet()), entries(bee, Range.all()));
      for (int i = 0; i < 20; i++) {
        List<Long> known = new ArrayList<>(versions.keySet());
        long version = known.get(random.nextInt(known.size()));
        Hyperbee<String, String> old = bee.checkout(version);
        assertEquals(List.copyOf(versions.get(version).entrySet()), entries(old, Range.all()), "version " + version);
      }
    }
  }

  private static List<Map.Entry<String, String>> entries(Hyperbee<String, String> bee, Range<String> range) {
    return bee.range(range).stream().map(e -> Map.entry(e.key(), e.value())).toList();
  }

  private static void checkRange(Hyperbee<String, String> bee, TreeMap<String, String> model, SplittableRandom r) {
    String a = key(r);
    String b = key(r);
    String lo = a.compareTo(b) <= 0 ? a : b;
    String hi = a.compareTo(b) <= 0 ? b : a;
    boolean loIncl = r.nextBoolean();
    boolean hiIncl = r.nextBoolean();
    boolean reverse = r.nextBoolean();
    int limit = r.nextInt(4) == 0 ? r.nextInt(10) : -1;
    Range<String> range = Range.<String>all();
    range = loIncl ? range.gte(lo) : range.gt(lo);
    range = hiIncl ? range.lte(hi) : range.lt(hi);
    if (reverse) {
      range = range.reversed();
    }
    range = range.limit(limit);
    NavigableMap<String, String> slice = model.subMap(lo, loIncl, hi, hiIncl);
    if (reverse) {
      slice = slice.descendingMap();
    }
    List<Map.Entry<String, String>> want = new ArrayList<>(slice.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue())).toList());
    if (limit >= 0 && want.size() > limit) {
      want = want.subList(0, limit);
    }
    assertEquals(want, entries(bee, range), range.toString());
  }
}
