package io.hyperinfer.hyperbee;

/**
 * Compare-and-swap for put and del: called with the current entry (only when the key exists) and the proposed one
 * (value null for a delete); the write happens only when it returns true.
 */
@FunctionalInterface
public interface Cas<K, V> {
  boolean swap(Entry<K, V> current, Entry<K, V> proposed);

  /** Always swap: the default put/del. */
  static <K, V> Cas<K, V> always() {
    return (current, proposed) -> true;
  }
}
