package io.hyperinfer.worker.net.spi;

import io.hyperinfer.crypto.Blake2b;
import java.util.function.Function;

/**
 * Topic names and the DHT keys they are found under: BLAKE2b-256 of the name's UTF-8 bytes, as the JS worker framework
 * derives them. The one place the net turns a topic into a key.
 */
public final class Topics {
  /** Longest topic name accepted (model topics carry a model id). */
  public static final int MAX_NAME_LENGTH = 512;

  private Topics() {}

  /** The 32-byte key of {@code topic}. */
  public static byte[] key(String topic) {
    return Blake2b.topic(check(topic));
  }

  /**
   * The key of {@code topic} in the network named by {@code networkKey} (32 bytes): the JS worker framework's keyed
   * form ({@link io.hyperinfer.network.Topics#keyed}), so two networks on one DHT never meet.
   */
  public static byte[] key(byte[] networkKey, String topic) {
    return io.hyperinfer.network.Topics.keyed(networkKey, check(topic));
  }

  /** How a facility turns names into keys: keyed by {@code networkKey}, or the plain form when it is null. */
  public static Function<String, byte[]> keys(byte[] networkKey) {
    if (networkKey == null) {
      return Topics::key;
    }
    byte[] copy = networkKey.clone();
    return topic -> key(copy, topic);
  }

  /** {@code topic} when it is a usable name; IllegalArgumentException otherwise. */
  public static String check(String topic) {
    if (topic == null || topic.isBlank() || topic.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("a topic is a non-blank name of at most " + MAX_NAME_LENGTH + " characters");
    }
    return topic;
  }
}
