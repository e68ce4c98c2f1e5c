package io.hyperinfer.hyperbee;

/**
 * One key that differs between two versions: {@code left} in the newer (this) version, {@code right} in the other;
 * either is null where the key is absent. Immutable.
 */
public record DiffEntry<K, V>(Entry<K, V> left, Entry<K, V> right) {}
