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
    PasswordPolicy two = new PasswordPolicy(2, 3, 0);
    assertDoesNotThrow(() -> two.check("😀a1", null));
    assertThrows(AuthException.class, () -> two.check("😀😀a1", null));
  }

  @Test
  void shouldRefuseConstructionWhenBoundsAreInconsistent() {
    assertThrows(IllegalArgumentException.class, () -> new PasswordPolicy(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new PasswordPolicy(10, 9));
  }

  private void broken(PasswordPolicy.Rule rule, String password) {
    assertEquals(rule, weak(password, "ann@example.com").rule().orElseThrow(), password);
  }

  @Test
  void shouldNameBrokenRuleWhenPasswordIsCommonPaddedRepetitiveOrGuessable() {
    Object[][] cases = {
        {PasswordPolicy.Rule.COMMON, "password12"}, {PasswordPolicy.Rule.COMMON, "Password12"},
        {PasswordPolicy.Rule.GUESSABLE, "Password123!"}, {PasswordPolicy.Rule.GUESSABLE, "P@ssw0rd2024"},
        {PasswordPolicy.Rule.GUESSABLE, "Dragon12345!"}, {PasswordPolicy.Rule.GUESSABLE, "1234567890ab"},
        {PasswordPolicy.Rule.GUESSABLE, "monkey-Monkey-1"}, {PasswordPolicy.Rule.PADDED, " ".repeat(10) + "a"},
        {PasswordPolicy.Rule.PADDED, "    Ab1!xyz    "}, {PasswordPolicy.Rule.REPETITIVE, "abababababab1"},
        {PasswordPolicy.Rule.REPETITIVE, "aB3$aB3$aB3$"}, {PasswordPolicy.Rule.TOO_SHORT, "Ab1!Ab1!"},
        {PasswordPolicy.Rule.FEW_CLASSES, "abcdefghijkl"}, {PasswordPolicy.Rule.IS_EMAIL, "Ann@Example.com"}};
    for (Object[] c : cases) {
      broken((PasswordPolicy.Rule) c[0], (String) c[1]);
    }
    assertEquals(PasswordPolicy.Rule.REQUIRED, assertThrows(AuthException.class,
        () -> policy.check(null, null)).rule().orElseThrow());
  }

  @Test
  void shouldAcceptWhenPasswordIsUnrelatedWordsOrRandom() {
    for (String ok : new String[] {"correct-Horse-7", "tea-Kettle-42-whistle", "Tr0ub4dor&3x", "xK9#mQ2$vL",
        " spaced Words 42 "}) {
      assertDoesNotThrow(() -> policy.check(ok, "ann@example.com"), ok);
    }
    assertTrue(PasswordPolicy.strengthBits("xK9#mQ2$vL") > PasswordPolicy.strengthBits("Password123!"));
    assertDoesNotThrow(() -> new PasswordPolicy(10, 128, 0).check("Password123!", null), "the floor is a setting");
  }

  @Test
  void shouldLoadEveryBundledPasswordWhenReadingTheList() throws Exception {
    assertTrue(CommonPasswords.bundled().size() > 9_900, "the 10,000 less case duplicates and overlong lines");
    assertEquals(1, CommonPasswords.bundled().rank("123456"));
    assertEquals(2, CommonPasswords.bundled().rank("PASSWORD"));
    assertEquals(0, CommonPasswords.bundled().rank("tea-Kettle-42-whistle"));
    var read = CommonPasswords.read(new java.io.BufferedReader(new java.io.StringReader(
        "# comment\n\nfirst\n" + "x".repeat(CommonPasswords.MAX_WORD + 1) + "\nFirst\nsecond\n")));
    assertEquals(2, read.size());
    assertEquals(2, read.rank("second"));
  }
}
