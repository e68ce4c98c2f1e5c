package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApiKeyTokenTest {
  @Test
  void shouldRoundTripWhenKeyIsGenerated() {
    ApiKeyToken key = ApiKeyToken.generate();
    assertTrue(key.value().startsWith("hi_" + key.id() + "_"));
    assertEquals(key, ApiKeyToken.parse(key.value()));
    assertNotEquals(key.id(), ApiKeyToken.generate().id());
  }

  @Test
  void shouldMatchOnlyItsOwnHashWhenCompared() {
    ApiKeyToken key = ApiKeyToken.generate();
    String stored = key.hashHex();
    assertEquals(64, stored.length());
    assertTrue(key.matches(stored));
    assertFalse(new ApiKeyToken(key.id(), ApiKeyToken.generate().secret()).matches(stored));
  }

  @Test
  void shouldHideSecretWhenPrinted() {
    ApiKeyToken key = ApiKeyToken.generate();
    assertFalse(key.toString().contains(key.secret()));
    assertFalse(key.masked().contains(key.secret().substring(0, 39)));
    assertTrue(key.masked().startsWith("hi_" + key.id() + "_****"));
  }

  @Test
  void shouldRejectWhenKeyIsNotOurFormat() {
    String good = ApiKeyToken.generate().value();
    String[] bad = {null, "", "hi_", "hi_abc", "xx" + good.substring(2), "hi_0123456789abcdeF_" + good.substring(20),
        good + "A", good.substring(0, good.length() - 1), good.replace('_', '-'), "hi_" + "0".repeat(200),
        "hi_0123456789abcdef_" + "!".repeat(43)};
    for (String key : bad) {
      assertEquals(AuthException.Code.INVALID_KEY,
          assertThrows(AuthException.class, () -> ApiKeyToken.parse(key)).code(), String.valueOf(key));
    }
  }
}
