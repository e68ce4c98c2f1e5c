package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
  private final PasswordPolicy policy = PasswordPolicy.DEFAULT;

  private AuthException weak(String password, String email) {
    AuthException e = assertThrows(AuthException.class, () -> policy.check(password, email));
    assertEquals(AuthException.Code.WEAK_PASSWORD, e.code());
    if (password != null && !password.isEmpty()) {
      assertFalse(e.getMessage().contains(password), "the message must not echo the password");
    }
    return e;
  }

  @Test
  void shouldAcceptWhenPasswordIsLongAndMixed() {
    assertDoesNotThrow(() -> policy.check("correct horse 7", "ann@example.com"));
    assertDoesNotThrow(() -> policy.check("Ünïcödé-ÄÖ9x", "ann@example.com"));
  }

  @Test
  void shouldRejectWhenPasswordIsMissingOrShort() {
    weak(null, "ann@example.com");
    assertTrue(weak("Ab1!Ab1!", "ann@example.com").getMessage().contains("at least 10"));
  }

  @Test
  void shouldRejectWhenPasswordIsLongerThanMaximum() {
    assertTrue(weak("a1".repeat(65), "ann@example.com").getMessage().contains("at most 128"));
  }

  @Test
  void shouldRejectWhenPasswordUsesOneCharacterClass() {
    weak("abcdefghijkl", "ann@example.com");
    weak("123456789012", "ann@example.com");
    weak("ABCDEFGHIJKL", "ann@example.com");
    weak("!@#$%^&*()_+", "ann@example.com");
  }

  @Test
  void shouldRejectWhenPasswordEqualsEmail() {
    assertTrue(weak("Ann@Example.com", "ann@example.com").getMessage().contains("email"));
  }

  @Test
  void shouldCountCodePointsWhenPasswordHasSupplementaryCharacters() {
    PasswordPolicy two = new PasswordPolicy(2, 3);
    assertDoesNotThrow(() -> two.check("😀a1", null));
    assertThrows(AuthException.class, () -> two.check("😀😀a1", null));
  }

  @Test
  void shouldRefuseConstructionWhenBoundsAreInconsistent() {
    assertThrows(IllegalArgumentException.class, () -> new PasswordPolicy(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new PasswordPolicy(10, 9));
  }
}
