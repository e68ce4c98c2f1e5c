package io.hyperinfer.worker.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One key/value pair of a bee, with decoding helpers. Immutable. */
public record Entry(byte[] key, byte[] value) {
  public Entry {
    key = key.clone();
    value = value.clone();
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  public String keyString() {
    return new String(key, StandardCharsets.UTF_8);
  }

  public String valueString() {
    return new String(value, StandardCharsets.UTF_8);
  }

  public JsonNode valueJson() {
    return Json.parse(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e && Arrays.equals(key, e.key) && Arrays.equals(value, e.value);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "Entry[" + keyString() + ", " + value.length + " bytes]";
  }
}
