package io.hyperinfer.hyperbee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * How keys or values turn into the bytes hyperbee stores, matching the JS codecs of the same names. Implementations
 * are stateless and thread-safe.
 *
 * @param <T> the application type
 */
public interface Encoding<T> {
  byte[] encode(T value);

  T decode(byte[] bytes);

  /** Raw bytes, unchanged. */
  Encoding<byte[]> BINARY = new Encoding<>() {
    @Override
    public byte[] encode(byte[] value) {
      return value.clone();
    }

    @Override
    public byte[] decode(byte[] bytes) {
      return bytes.clone();
    }
  };

  /** UTF-8 text ("utf-8" in JS). */
  Encoding<String> UTF8 = new Encoding<>() {
    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  };

  /** Compact JSON text in UTF-8, as JS's JSON.stringify writes it ("json" in JS). */
  Encoding<JsonNode> JSON = new Encoding<>() {
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public byte[] encode(JsonNode value) {
      try {
        return mapper.writeValueAsBytes(value);
      } catch (IOException e) {
        throw BeeException.badArgument("value is not JSON-serialisable: " + e.getMessage());
      }
    }

    @Override
    public JsonNode decode(byte[] bytes) {
      try {
        return mapper.readTree(bytes);
      } catch (IOException e) {
        throw BeeException.decoding("stored value is not JSON");
      }
    }
  };
}
