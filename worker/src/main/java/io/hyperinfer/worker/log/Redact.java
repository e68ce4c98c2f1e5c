package io.hyperinfer.worker.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of logs: masks strings and the secret-looking fields of JSON payloads (password, token, apiKey,
 * secret, seed, authorization...) before they are logged, and {@link #text} masks what slipped into a log line anyway
 * (both log layouts run every line through it). Thread-safe.
 */
public final class Redact {
  public static final String MASK = "***";

  private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "secret", "token", "apikey",
      "api_key", "authorization", "seed", "privatekey", "secretkey", "session", "credential");

  /** An API key as Auth issues it: {@code hi_<16 hex id>_<secret>}; the id is kept, it names the key. */
  private static final Pattern API_KEY = Pattern.compile("\\bhi_([0-9a-f]{16})_[A-Za-z0-9_-]{8,}");
  /** A signed token: base64url payload, a dot, a base64url signature (an Ed25519 one is 86 characters). */
  private static final Pattern SIGNED_TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{80,}");
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[^\\s\"',;]+");
  private static final Pattern JSON_FIELD = Pattern.compile("\"([A-Za-z0-9_]+)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern KEY_VALUE = Pattern.compile("\\b([A-Za-z][A-Za-z0-9_-]*)(\\s*[=:]\\s*)([^\\s,;&\"'}\\]]+)");

  private Redact() {}

  /**
   * {@code text} with secrets masked: API keys (their id kept), signed session tokens, bearer credentials, JSON string
   * fields and {@code key=value} / {@code key: value} pairs whose key names a secret ({@link #isSecretField}).
   */
  public static String text(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = API_KEY.matcher(text).replaceAll("hi_$1_" + MASK);
    out = SIGNED_TOKEN.matcher(out).replaceAll(MASK);
    out = BEARER.matcher(out).replaceAll("$1" + MASK);
    out = JSON_FIELD.matcher(out).replaceAll(m -> isSecretField(m.group(1))
        ? Matcher.quoteReplacement("\"" + m.group(1) + "\":\"" + MASK + "\"") : Matcher.quoteReplacement(m.group()));
    return KEY_VALUE.matcher(out).replaceAll(m -> isSecretField(m.group(1)) && !m.group(3).equals(MASK)
        ? Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK) : Matcher.quoteReplacement(m.group()));
  }

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
    // Counts, durations and limits about secrets are not secrets: promptTokens, sessionTtl, tokensPerMinute.
    if (lower.endsWith("tokens") || lower.endsWith("ms") || lower.endsWith("ttl") || lower.endsWith("timeout")
        || lower.endsWith("minute") || lower.endsWith("day") || lower.endsWith("limit")) {
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
