package io.hyperinfer.client.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads an OpenAI request body field by field and remembers what it read, so that a field nobody read is refused
 * ({@code unknown_parameter}) instead of dropped. JSON null counts as absent, as in OpenAI's API. Confined to the
 * request's thread.
 */
final class Params {
  private final JsonNode body;
  private final Set<String> read = new HashSet<>();

  private Params(JsonNode body) {
    this.body = body;
  }

  static Params of(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw OpenAiError.invalid("invalid_json", null, "the request body must be a JSON object");
    }
    return new Params(body);
  }

  /** The field, or null when absent or null. */
  JsonNode get(String key) {
    read.add(key);
    JsonNode n = body.get(key);
    return n == null || n.isNull() ? null : n;
  }

  String requiredString(String key) {
    JsonNode n = get(key);
    if (n == null) {
      throw OpenAiError.invalid("missing_required_parameter", key, "you must provide '" + key + "'");
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      throw invalidType(key, "a non-empty string");
    }
    return n.asText();
  }

  Integer integer(String key, int min, int max) {
    JsonNode n = get(key);
    if (n == null) {
      return null;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw invalidType(key, "an integer");
    }
    if (n.asInt() < min || n.asInt() > max) {
      throw OpenAiError.invalidValue(key, "'" + key + "' must be " + min + ".." + max);
    }
    return n.asInt();
  }

  Long longValue(String key) {
    JsonNode n = get(key);
    if (n == null) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw invalidType(key, "an integer");
    }
    return n.asLong();
  }

  Double number(String key, double min, double max) {
    JsonNode n = get(key);
    if (n == null) {
      return null;
    }
    if (!n.isNumber()) {
      throw invalidType(key, "a number");
    }
    if (!(n.asDouble() >= min && n.asDouble() <= max)) {
      throw OpenAiError.invalidValue(key, "'" + key + "' must be " + min + ".." + max);
    }
    return n.asDouble();
  }

  boolean bool(String key, boolean fallback) {
    JsonNode n = get(key);
    if (n == null) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw invalidType(key, "a boolean");
    }
    return n.asBoolean();
  }

  /** Accepted and not used: identifiers and bookkeeping that change nothing in the answer. */
  void ignore(String... keys) {
    for (String k : keys) {
      get(k);
    }
  }

  /** Refuses {@code key} unless absent or {@code neutral} (the value that asks for nothing, e.g. n = 1). */
  void onlyNeutral(String key, Predicate<JsonNode> neutral, String why) {
    JsonNode n = get(key);
    if (n != null && !neutral.test(n)) {
      throw OpenAiError.unsupportedValue(key, "'" + key + "' is not supported here: " + why);
    }
  }

  /** Refuses {@code key} whenever it is present. */
  void unsupported(String key, String why) {
    if (get(key) != null) {
      throw OpenAiError.unsupportedParameter(key, "'" + key + "' is not supported here: " + why);
    }
  }

  /** Throws {@code unknown_parameter} for the first field nobody read. */
  void rejectUnknown() {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!read.contains(k)) {
        throw OpenAiError.invalid("unknown_parameter", k, "Unrecognized request argument supplied: " + k);
      }
    }
  }

  static OpenAiError invalidType(String key, String expected) {
    return OpenAiError.invalid("invalid_type", key, "'" + key + "' must be " + expected);
  }
}
