package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class RequestsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static JsonNode json(String text) {
    return Json.parse(text);
  }

  private static void bad(Executable call) {
    assertEquals(AuthException.Code.BAD_REQUEST, assertThrows(AuthException.class, call).code());
  }

  @Test
  void shouldReadFieldsWhenTypesMatch() {
    JsonNode p = json("{\"s\":\"x\",\"b\":false,\"l\":[\"a\",\"b\"],\"expiresInSeconds\":60}");
    assertEquals("x", Requests.text(p, "s"));
    assertFalse(Requests.bool(p, "b", true));
    assertTrue(Requests.bool(p, "missing", true));
    assertEquals(List.of("a", "b"), Requests.strings(p, "l"));
    assertNull(Requests.strings(p, "missing"));
    assertEquals(NOW.plusSeconds(60), Requests.expiry(p, NOW));
    assertEquals(Instant.parse("2027-01-01T00:00:00Z"),
        Requests.expiry(json("{\"expiresAt\":\"2027-01-01T00:00:00Z\"}"), NOW));
    assertNull(Requests.expiry(json("{}"), NOW));
  }

  @Test
  void shouldRejectWhenFieldsAreMissingOrMistyped() {
    bad(() -> Requests.text(json("[]"), "s"));
    bad(() -> Requests.text(null, "s"));
    bad(() -> Requests.text(json("{}"), "s"));
    bad(() -> Requests.text(json("{\"s\":1}"), "s"));
    bad(() -> Requests.text(Json.object().put("s", "x".repeat(Requests.MAX_FIELD_LENGTH + 1)), "s"));
    bad(() -> Requests.bool(json("{\"b\":\"yes\"}"), "b", false));
    bad(() -> Requests.strings(json("{\"l\":\"a\"}"), "l"));
    bad(() -> Requests.strings(json("{\"l\":[1]}"), "l"));
    bad(() -> Requests.expiry(json("{\"expiresAt\":\"2027-01-01T00:00:00Z\",\"expiresInSeconds\":1}"), NOW));
    bad(() -> Requests.expiry(json("{\"expiresInSeconds\":0}"), NOW));
    bad(() -> Requests.expiry(json("{\"expiresInSeconds\":1.5}"), NOW));
    bad(() -> Requests.expiry(json("{\"expiresInSeconds\":999999999999}"), NOW));
    bad(() -> Requests.expiry(json("{\"expiresAt\":\"tomorrow\"}"), NOW));
  }
}
