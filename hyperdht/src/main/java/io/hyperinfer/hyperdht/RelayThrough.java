package io.hyperinfer.hyperdht;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which blind relay a connection should go through (JS {@code relayThrough}: a public key, an array of keys one of
 * which is picked at random, or a function returning either). Asked once per connection; null means none.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface RelayThrough {
  /** The relay server's 32-byte public key for this connection, or null for a direct one. */
  byte[] select();

  /** Always the relay with {@code publicKey}. */
  static RelayThrough of(byte[] publicKey) {
    byte[] key = check(publicKey).clone();
    return key::clone;
  }

  /** One of {@code publicKeys} at random per connection (JS passes an array). */
  static RelayThrough anyOf(List<byte[]> publicKeys) {
    if (publicKeys.isEmpty()) {
      throw new IllegalArgumentException("at least one relay key is needed");
    }
    List<byte[]> keys = publicKeys.stream().map(k -> check(k).clone()).toList();
    return () -> keys.get(ThreadLocalRandom.current().nextInt(keys.size())).clone();
  }

  /** The key {@code through} selects, checked; null when {@code through} is null or selects none. */
  static byte[] selectFrom(RelayThrough through) {
    if (through == null) {
      return null;
    }
    byte[] key = through.select();
    return key == null ? null : check(key);
  }

  private static byte[] check(byte[] key) {
    if (key == null || key.length != 32) {
      throw new IllegalArgumentException("a relay's public key is 32 bytes");
    }
    return key;
  }
}
