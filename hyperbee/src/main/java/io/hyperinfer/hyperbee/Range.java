package io.hyperinfer.hyperbee;

/**
 * Which keys a range read returns: bounds (null = open; gt wins over gte, lt over lte), direction and a limit (-1 for
 * none). Immutable; build with {@link #all()} and the {@code with} methods.
 */
public record Range<K>(K gt, K gte, K lt, K lte, boolean reverse, int limit) {
  public static <K> Range<K> all() {
    return new Range<>(null, null, null, null, false, -1);
  }

  public Range<K> gt(K key) {
    return new Range<>(key, null, lt, lte, reverse, limit);
  }

  public Range<K> gte(K key) {
    return new Range<>(null, key, lt, lte, reverse, limit);
  }

  public Range<K> lt(K key) {
    return new Range<>(gt, gte, key, null, reverse, limit);
  }

  public Range<K> lte(K key) {
    return new Range<>(gt, gte, null, key, reverse, limit);
  }

  public Range<K> reversed() {
    return new Range<>(gt, gte, lt, lte, true, limit);
  }

  public Range<K> limit(int max) {
    return new Range<>(gt, gte, lt, lte, reverse, max);
  }
}
