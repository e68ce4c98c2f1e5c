package io.hyperinfer.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored API key: its metadata and the BLAKE2b hash of the key, never the key. Immutable.
 *
 * @param models model allowlist; empty means every model
 * @param expiresAt null when the key does not expire
 * @param revokedAt null while the key is live
 */
record ApiKey(String id, String userId, String name, String hashHex, List<String> models, KeyLimits limits,
    Instant createdAt, Instant expiresAt, Instant revokedAt) {
  ApiKey {
    models = List.copyOf(models);
  }

  ApiKey revoked(Instant at) {
    return new ApiKey(id, userId, name, hashHex, models, limits, createdAt, expiresAt, at);
  }

  boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  ObjectNode toJson() {
    ObjectNode node = metadata();
    node.put("hash", hashHex);
    node.put("createdAtMs", createdAt.toEpochMilli());
    if (expiresAt != null) {
      node.put("expiresAtMs", expiresAt.toEpochMilli());
    }
    if (revokedAt != null) {
      node.put("revokedAtMs", revokedAt.toEpochMilli());
    }
    return node;
  }

  static ApiKey fromJson(JsonNode node) {
    List<String> models = new ArrayList<>();
    node.get("models").forEach(m -> models.add(m.asText()));
    return new ApiKey(node.get("keyId").asText(), node.get("userId").asText(), node.get("name").asText(),
        node.get("hash").asText(), models, KeyLimits.fromJson(node.get("limits")),
        Instant.ofEpochMilli(node.get("createdAtMs").asLong()), instant(node, "expiresAtMs"),
        instant(node, "revokedAtMs"));
  }

  /** The form owners and gateways see: everything but the hash. */
  ObjectNode publicJson() {
    ObjectNode node = metadata();
    node.put("createdAt", createdAt.toString());
    node.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
    node.put("revoked", revokedAt != null);
    return node;
  }

  private ObjectNode metadata() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("keyId", id);
    node.put("userId", userId);
    node.put("name", name);
    var array = node.putArray("models");
    models.forEach(array::add);
    node.set("limits", limits.toJson());
    return node;
  }

  private static Instant instant(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : Instant.ofEpochMilli(value.asLong());
  }
}
