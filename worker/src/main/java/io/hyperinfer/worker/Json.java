package io.hyperinfer.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The one JSON mapper of the framework and byte-level helpers around it. Thread-safe. */
public final class Json {
  /** Shared, configured once; never reconfigure it. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** UTF-8 JSON bytes of {@code node}. */
  public static byte[] toBytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value is not serialisable as JSON", e);
    }
  }

  /** Parses UTF-8 JSON; {@link IllegalArgumentException} on malformed input. */
  public static JsonNode parse(byte[] bytes) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      return node == null ? JsonNodeFactory.instance.missingNode() : node;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  /** Parses a JSON string; {@link IllegalArgumentException} on malformed input. */
  public static JsonNode parse(String text) {
    return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Converts a Java value (record, map, list, primitive) to a tree. */
  public static JsonNode valueToTree(Object value) {
    return MAPPER.valueToTree(value);
  }
}
