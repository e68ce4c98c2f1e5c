package io.hyperinfer.hyperbee;

/**
 * A key and its value as of block {@code seq}. Immutable (as long as K and V are).
 *
 * @param seq the block that wrote this value
 * @param key the decoded key (without any sub prefix)
 * @param value the decoded value; null only in compare-and-swap callbacks for a delete
 */
public record Entry<K, V>(long seq, K key, V value) {}
