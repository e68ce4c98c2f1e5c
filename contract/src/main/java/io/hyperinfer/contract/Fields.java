package io.hyperinfer.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hyperinfer.worker.net.NetException;

/**
 * Typed reads of message fields for the records' {@code fromJson}: every missing, mistyped, too long or out-of-range
 * field fails with one {@link NetException} ERR_BAD_REQUEST naming the field, and nothing else. Thread-safe.
 */
public final class Fields {
  /** Longest string field unless a message says otherwise; bounds the work a hostile message can cause. */
  public static final int MAX_TEXT = 8192;

  private Fields() {}

  /** {@code node} when it is a JSON object. */
  public static JsonNode object(JsonNode node, String what) {
    if (node == null || !node.isObject()) {
      throw NetException.badRequest(what + " must be a JSON object");
    }
    return node;
  }

  /** A required string of 1..{@code maxLength} characters. */
  public static String text(JsonNode o, String field, int maxLength) {
    String value = optionalText(o, field, maxLength);
    if (value == null || value.isEmpty()) {
      throw NetException.badRequest(field + " is required (a string)");
    }
    return value;
  }

  /** A string of at most {@code maxLength} characters, or null when absent or JSON null. */
  public static String optionalText(JsonNode o, String field, int maxLength) {
    JsonNode v = o.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw NetException.badRequest(field + " must be a string");
    }
    if (v.textValue().length() > maxLength) {
      throw NetException.badRequest(field + " is longer than " + maxLength + " characters");
    }
    return v.textValue();
  }

  /** An integer, {@code fallback} when absent or JSON null. */
  public static long integer(JsonNode o, String field, long fallback) {
    JsonNode v = o.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw NetException.badRequest(field + " must be an integer");
    }
    return v.longValue();
  }

  /** A number, {@code fallback} when absent or JSON null. */
  public static double number(JsonNode o, String field, double fallback) {
    JsonNode v = o.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber()) {
      throw NetException.badRequest(field + " must be a number");
    }
    return v.doubleValue();
  }

  /** A boolean, {@code fallback} when absent or JSON null. */
  public static boolean bool(JsonNode o, String field, boolean fallback) {
    JsonNode v = o.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw NetException.badRequest(field + " must be true or false");
    }
    return v.booleanValue();
  }

  /** An array of at most {@code maxItems} items; empty when absent or JSON null. */
  public static JsonNode array(JsonNode o, String field, int maxItems) {
    JsonNode v = o.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return JsonNodeFactory.instance.arrayNode();
    }
    if (!v.isArray()) {
      throw NetException.badRequest(field + " must be an array");
    }
    if (v.size() > maxItems) {
      throw NetException.badRequest(field + " holds more than " + maxItems + " items");
    }
    return v;
  }

  /** Fails with ERR_BAD_REQUEST unless {@code ok}. */
  public static void check(boolean ok, String message) {
    if (!ok) {
      throw NetException.badRequest(message);
    }
  }
}
