package io.hyperinfer.worker.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import java.nio.charset.StandardCharsets;

/**
 * Writes collected and applied atomically by {@link #flush()}: readers see all of them or none. Not thread-safe;
 * a batch is used once.
 */
public interface Batch {
  Batch put(byte[] key, byte[] value);

  Batch del(byte[] key);

  /** Applies every collected write at once; a second flush fails. */
  void flush();

  default Batch put(String key, byte[] value) {
    return put(key.getBytes(StandardCharsets.UTF_8), value);
  }

  default Batch putString(String key, String value) {
    return put(key, value.getBytes(StandardCharsets.UTF_8));
  }

  default Batch putJson(String key, JsonNode value) {
    return put(key, Json.toBytes(value));
  }

  default Batch del(String key) {
    return del(key.getBytes(StandardCharsets.UTF_8));
  }
}
