package io.hyperinfer.processor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JSON helpers for engine wire formats and engine settings. Thread-safe. */
final class EngineJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private EngineJson() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static byte[] toBytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalArgumentException("not serialisable", e);
    }
  }

  /** A JSON array of numbers as floats; ERR_ENGINE_FAILED when it holds anything else. */
  static float[] floats(JsonNode array) {
    if (!array.isArray()) {
      throw io.hyperinfer.processor.ProcessorException.failed("engine sent an embedding that is not an array");
    }
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode n = array.get(i);
      if (!n.isNumber()) {
        throw io.hyperinfer.processor.ProcessorException.failed("engine sent an embedding with a non-number");
      }
      out[i] = n.floatValue();
    }
    return out;
  }

  /** Parses JSON text; {@link IllegalArgumentException} when malformed or empty. */
  static JsonNode parse(String text) {
    try {
      JsonNode n = MAPPER.readTree(text);
      if (n == null || n.isMissingNode()) {
        throw new IllegalArgumentException("empty JSON");
      }
      return n;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON", e);
    }
  }

  /** A duration setting: milliseconds as a number, "250ms"/"30s"/"5m"/"1h", or ISO-8601; {@code fallback} if absent. */
  static Duration duration(JsonNode section, String field, Duration fallback) {
    JsonNode n = section.path(field);
    if (n.isMissingNode() || n.isNull()) {
      return fallback;
    }
    if (n.isIntegralNumber()) {
      return Duration.ofMillis(n.longValue());
    }
    String text = n.asText().trim();
    Matcher m = SHORT_DURATION.matcher(text);
    if (m.matches()) {
      long v = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(v);
        case "s" -> Duration.ofSeconds(v);
        case "m" -> Duration.ofMinutes(v);
        default -> Duration.ofHours(v);
      };
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + field + "' is not a duration: " + text);
    }
  }
}
