package io.hyperinfer.worker.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestDataFactoryTest {
  @Test
  void shouldCreateUniqueUsersWhenCalledRepeatedly() {
    Set<String> emails = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      ObjectNode u = TestDataFactory.user();
      assertTrue(emails.add(u.get("email").asText()));
      String pw = u.get("password").asText();
      assertTrue(pw.length() >= 12 && pw.chars().anyMatch(Character::isUpperCase)
          && pw.chars().anyMatch(Character::isDigit) && pw.chars().anyMatch(c -> !Character.isLetterOrDigit(c)));
    }
  }

  @Test
  void shouldApplyOverridesWhenGiven() {
    ObjectNode u = TestDataFactory.user(Json.object().put("email", "fixed@example.test"));
    assertEquals("fixed@example.test", u.get("email").asText());
    assertTrue(u.has("password"));
  }

  @Test
  void shouldCreateDistinctKeyRequestsAndContextsWhenCalled() {
    assertNotEquals(TestDataFactory.apiKeyRequest().get("name"), TestDataFactory.apiKeyRequest().get("name"));
    assertNotEquals(TestDataFactory.context("auth"), TestDataFactory.context("auth"));
    assertEquals("auth", TestDataFactory.context("auth").type());
    assertTrue(TestDataFactory.email().endsWith("@example.test"));
  }
}
