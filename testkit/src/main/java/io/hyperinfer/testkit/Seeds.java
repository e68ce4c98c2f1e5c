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

  /** {@code length} random bytes from {@code random}. */
  public static byte[] bytes(SplittableRandom random, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) random.nextInt(256);
    }
    return out;
  }
}
