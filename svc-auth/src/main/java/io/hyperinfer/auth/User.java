package io.hyperinfer.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A stored account. {@code passwordHash} is libsodium's Argon2id string; it never leaves the Auth worker. Immutable.
 */
record User(String id, String email, String passwordHash, Set<Role> roles, Instant createdAt) {
  User {
    roles = Set.copyOf(roles);
  }

  User withRoles(Set<Role> newRoles) {
    return new User(id, email, passwordHash, newRoles, createdAt);
  }

  User withPasswordHash(String newHash) {
    return new User(id, email, newHash, roles, createdAt);
  }

  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", id);
    node.put("email", email);
    node.put("passwordHash", passwordHash);
    node.set("roles", Roles.toJson(roles));
    node.put("createdAt", createdAt.toEpochMilli());
    return node;
  }

  static User fromJson(JsonNode node) {
    return new User(node.get("id").asText(), node.get("email").asText(), node.get("passwordHash").asText(),
        Roles.fromJson(node.get("roles")), Instant.ofEpochMilli(node.get("createdAt").asLong()));
  }

  /** What other accounts (admins) may see: no hash. */
  ObjectNode publicJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("userId", id);
    node.put("email", email);
    node.set("roles", Roles.toJson(roles));
    node.put("createdAt", createdAt.toString());
    return node;
  }

  /** Role sets to and from their JSON array form, in enum order. */
  static final class Roles {
    private Roles() {}

    static com.fasterxml.jackson.databind.node.ArrayNode toJson(Set<Role> roles) {
      var array = JsonNodeFactory.instance.arrayNode();
      for (Role role : Role.values()) {
        if (roles.contains(role)) {
          array.add(role.wire());
        }
      }
      return array;
    }

    static Set<Role> fromJson(JsonNode array) {
      Set<Role> roles = EnumSet.noneOf(Role.class);
      for (JsonNode role : array) {
        roles.add(Role.fromWire(role.asText()));
      }
      return roles;
    }
  }
}
