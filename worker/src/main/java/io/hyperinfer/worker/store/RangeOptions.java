package io.hyperinfer.worker.store;

import java.nio.charset.StandardCharsets;

/**
 * Bounds of a range scan (as Hyperbee's createReadStream): any of gt/gte/lt/lte (null = open), direction, and a limit
 * ({@code -1} = no limit). Keys compare as unsigned bytes. Build with the withers: {@code RangeOptions.all().gte("a")}.
 */
public record RangeOptions(byte[] gt, byte[] gte, byte[] lt, byte[] lte, boolean reverse, int limit) {
  public RangeOptions {
    if (limit < -1) {
      throw new IllegalArgumentException("limit must be -1 (none) or >= 0");
    }
    gt = gt == null ? null : gt.clone();
    gte = gte == null ? null : gte.clone();
    lt = lt == null ? null : lt.clone();
    lte = lte == null ? null : lte.clone();
  }

  public static RangeOptions all() {
    return new RangeOptions(null, null, null, null, false, -1);
  }

  /** Every key starting with {@code prefix}. */
  public static RangeOptions prefix(String prefix) {
    byte[] p = utf8(prefix);
    byte[] end = new byte[p.length + 1];
    System.arraycopy(p, 0, end, 0, p.length);
    end[p.length] = (byte) 0xff;
    return new RangeOptions(null, p, end, null, false, -1);
  }

  public RangeOptions gt(String key) {
    return new RangeOptions(utf8(key), null, lt, lte, reverse, limit);
  }

  public RangeOptions gte(String key) {
    return new RangeOptions(null, utf8(key), lt, lte, reverse, limit);
  }

  public RangeOptions lt(String key) {
    return new RangeOptions(gt, gte, utf8(key), null, reverse, limit);
  }

  public RangeOptions lte(String key) {
    return new RangeOptions(gt, gte, null, utf8(key), reverse, limit);
  }

  public RangeOptions reverse(boolean r) {
    return new RangeOptions(gt, gte, lt, lte, r, limit);
  }

  public RangeOptions limit(int n) {
    return new RangeOptions(gt, gte, lt, lte, reverse, n);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
