package io.hyperinfer.testkit;

import java.util.SplittableRandom;

/**
 * Seeded generators for property-style and fuzz tests. The seed comes from {@code -Dtest.seed} or is drawn fresh,
 * and is printed, so any failure can be replayed exactly.
 */
public final class Seeds {
  private Seeds() {}

  /** A generator for {@code testName}, seeded from {@code -Dtest.seed} if given, else randomly; the seed is printed. */
  public static SplittableRandom random(String testName) {
    String fixed = System.getProperty("test.seed");
    long seed = fixed != null ? Long.parseLong(fixed) : new SplittableRandom().nextLong();
    System.out.println("[seed] " + testName + " -Dtest.seed=" + seed);
    return new SplittableRandom(seed);
  }

  /** How many fuzz cases to run per decoder: {@code -Dfuzz.iterations}, 100k by default, 1M under -Pfuzz-long. */
  public static int fuzzIterations() {
    return Integer.getInteger("fuzz.iterations", 100_000);
  }

  /**
   * How many cases a seeded property or model test runs: {@code fullCount} at the full fuzz count (the fuzz tier,
   * where the test is tagged "fuzz"), proportionally fewer where {@code -Dfuzz.iterations} is lower (the unit tier),
   * more under -Pfuzz-long, never fewer than {@code floor}.
   */
  public static int cases(int fullCount, int floor) {
    long scaled = (long) fullCount * fuzzIterations() / 100_000;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(floor, scaled));
  }

  /** {@code length} random bytes from {@code random}. */
  public static byte[] bytes(SplittableRandom random, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) random.nextInt(256);
    }
    return out;
  }
}
