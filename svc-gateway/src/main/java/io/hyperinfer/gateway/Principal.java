package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.gateway.limit.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is calling, as Auth vouched for it: the user, the API key when one was used (null for a session), roles, the
 * limits in force and the key's model allowlist (empty = every model). Immutable.
 */
public record Principal(String userId, String keyId, Set<String> roles, Limits limits, List<String> models) {
  public Principal {
    roles = Set.copyOf(roles);
    models = List.copyOf(models);
  }

  public boolean isAdmin() {
    return roles.contains("admin");
  }

  /** The subject rate limits count against: the key, or the user for session-authenticated calls. */
  public String limitSubject() {
    return keyId != null ? "key:" + keyId : "user:" + userId;
  }

  public boolean mayUse(String model) {
    return models.isEmpty() || models.contains(model);
  }

  /** From Auth's validateApiKey or validateSession answer, with {@code defaults} where the key sets no limit. */
  static Principal fromAuth(JsonNode answer, Limits defaults) {
    Set<String> roles = new TreeSet<>();
    answer.path("roles").forEach(r -> roles.add(r.asText()));
    List<String> models = new ArrayList<>();
    answer.path("models").forEach(m -> models.add(m.asText()));
    String keyId = answer.hasNonNull("keyId") ? answer.get("keyId").asText() : null;
    return new Principal(answer.path("userId").asText(), keyId, roles, Limits.from(answer.path("limits"), defaults),
        models);
  }
}
