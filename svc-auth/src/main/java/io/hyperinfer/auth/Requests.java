package io.hyperinfer.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads typed fields from request payloads; anything missing or of the wrong type is BAD_REQUEST. Thread-safe. */
final class Requests {
  /** Longest string field accepted; bounds the work a hostile request can cause. */
  static final int MAX_FIELD_LENGTH = 8192;

  private Requests() {}

  static String text(JsonNode payload, String field) {
    JsonNode value = object(payload).path(field);
    if (!value.isTextual()) {
      throw AuthException.badRequest(field + " is required (string)");
    }
    if (value.textValue().length() > MAX_FIELD_LENGTH) {
      throw AuthException.badRequest(field + " is too long");
    }
    return value.textValue();
  }

  static boolean bool(JsonNode payload, String field, boolean fallback) {
    JsonNode value = object(payload).path(field);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw AuthException.badRequest(field + " must be true or false");
    }
    return value.booleanValue();
  }

  /** An optional list of strings; null when absent. */
  static List<String> strings(JsonNode payload, String field) {
    JsonNode value = object(payload).path(field);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw AuthException.badRequest(field + " must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw AuthException.badRequest(field + " must be an array of strings");
      }
      out.add(item.textValue());
    }
    return out;
  }

  /** Expiry from {@code expiresAt} (ISO-8601 instant) or {@code expiresInSeconds}; null when neither is given. */
  static Instant expiry(JsonNode payload, Instant now) {
    JsonNode at = object(payload).path("expiresAt");
    JsonNode in = object(payload).path("expiresInSeconds");
    boolean hasAt = !at.isMissingNode() && !at.isNull();
    boolean hasIn = !in.isMissingNode() && !in.isNull();
    if (hasAt && hasIn) {
      throw AuthException.badRequest("give expiresAt or expiresInSeconds, not both");
    }
    if (hasIn) {
      if (!in.isIntegralNumber() || !in.canConvertToLong() || in.longValue() <= 0
          || in.longValue() > Duration.ofDays(3650).toSeconds()) {
        throw AuthException.badRequest("expiresInSeconds must be a positive integer of at most ten years");
      }
      return now.plusSeconds(in.longValue());
    }
    if (hasAt) {
      try {
        return Instant.parse(at.asText());
      } catch (java.time.format.DateTimeParseException e) {
        throw AuthException.badRequest("expiresAt must be an ISO-8601 instant");
      }
    }
    return null;
  }

  private static JsonNode object(JsonNode payload) {
    if (payload == null || !payload.isObject()) {
      throw AuthException.badRequest("payload must be a JSON object");
    }
    return payload;
  }
}
