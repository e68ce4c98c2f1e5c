package io.hyperinfer.worker.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A named, ordered key-value store (Hyperbee's model). Keys and values are bytes; keys order as unsigned bytes; the
 * default methods add UTF-8 keys and JSON/UTF-8 values. Blocking calls; thread-safe.
 */
public interface Bee {
  Optional<byte[]> get(byte[] key);

  void put(byte[] key, byte[] value);

  /** Removes {@code key}; true when it existed. */
  boolean del(byte[] key);

  Batch batch();

  /** Entries within {@code options}, in key order (or reverse), at most {@code limit}. */
  List<Entry> range(RangeOptions options);

  /** A view whose keys live under {@code prefix} (Hyperbee's sub: prefix + 0x00 separator), nestable. */
  Bee sub(String prefix);

  default Optional<byte[]> get(String key) {
    return get(utf8(key));
  }

  default void put(String key, byte[] value) {
    put(utf8(key), value);
  }

  default boolean del(String key) {
    return del(utf8(key));
  }

  default Optional<String> getString(String key) {
    return get(key).map(v -> new String(v, StandardCharsets.UTF_8));
  }

  default void putString(String key, String value) {
    put(key, utf8(value));
  }

  default Optional<JsonNode> getJson(String key) {
    return get(key).map(Json::parse);
  }

  default void putJson(String key, JsonNode value) {
    put(key, Json.toBytes(value));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
