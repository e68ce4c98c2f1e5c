package io.hyperinfer.worker.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps secrets out of logs: masks strings and the secret-looking fields of JSON payloads (password, token, apiKey,
 * secret, seed, authorization...) before they are logged. Thread-safe.
 */
public final class Redact {
  public static final String MASK = "***";

  private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "secret", "token", "apikey",
      "api_key", "authorization", "seed", "privatekey", "secretkey", "session", "credential");

  private Redact() {}

  /** "***" for any non-empty secret, so not even its length leaks; null stays null. */
  public static String secret(String value) {
    return value == null ? null : MASK;
  }

  /** A hint that tells secrets apart without revealing them: the last 4 characters of a long value. */
  public static String hint(String value) {
    if (value == null) {
      return null;
    }
    return value.length() < 16 ? MASK : MASK + value.substring(value.length() - 4);
  }

  /** Whether a field of this name holds a secret (case-insensitive, matches words inside names like userPassword). */
  public static boolean isSecretField(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith("publickey") || lower.endsWith("id") || lower.endsWith("ids") || lower.endsWith("name")
        || lower.endsWith("prefix") || lower.endsWith("count") || lower.endsWith("at")) {
      return false;
    }
    for (String word : SECRET_WORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /** A deep copy of {@code node} with every secret field's value replaced by "***". */
  public static JsonNode json(JsonNode node) {
    if (node == null) {
      return null;
    }
    JsonNode copy = node.deepCopy();
    mask(copy);
    return copy;
  }

  private static void mask(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (var it = object.properties().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (isSecretField(e.getKey()) && !e.getValue().isContainerNode()) {
          e.setValue(com.fasterxml.jackson.databind.node.TextNode.valueOf(MASK));
        } else {
          mask(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(Redact::mask);
    }
  }
}
