package io.hyperinfer.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHashTest {
  private final PasswordHash hasher = PasswordHash.MINIMUM_FOR_TESTS;

  @Test
  void shouldVerifyPasswordWhenItMatches() {
    String stored = hasher.hash("correct horse ☃".toCharArray());
    assertTrue(stored.startsWith("$argon2id$v=19$"));
    assertTrue(PasswordHash.verify(stored, "correct horse ☃".toCharArray()));
  }

  @Test
  void shouldRejectPasswordWhenItDiffers() {
    String stored = hasher.hash("secret-1".toCharArray());
    assertFalse(PasswordHash.verify(stored, "secret-2".toCharArray()));
    assertFalse(PasswordHash.verify("not a hash", "secret-1".toCharArray()));
  }

  @Test
  void shouldSaltEachHashWhenSamePasswordHashedTwice() {
    assertNotEquals(hasher.hash("pw".toCharArray()), hasher.hash("pw".toCharArray()));
  }

  @Test
  void shouldAskForRehashWhenLimitsChange() {
    String stored = hasher.hash("pw".toCharArray());
    assertFalse(hasher.needsRehash(stored));
    assertTrue(new PasswordHash(2, 16L << 10).needsRehash(stored));
  }

  @Test
  void shouldRejectLimitsWhenBelowArgon2Minimum() {
    var e = assertThrows(CryptoException.class, () -> new PasswordHash(0, 1 << 20));
    assertEquals(CryptoException.Code.BAD_ARGUMENT, e.code());
  }
}
