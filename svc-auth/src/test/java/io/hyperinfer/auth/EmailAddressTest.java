package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {
  @Test
  void shouldLowercaseAndTrimWhenEmailHasMixedCaseAndSpaces() {
    assertEquals("ann.lee+ai@example.com", EmailAddress.normalise("  Ann.Lee+AI@Example.COM \n"));
  }

  @Test
  void shouldAcceptWhenDomainHasSubdomainsAndHyphens() {
    assertEquals("a@mail.my-host.example.org", EmailAddress.normalise("a@mail.my-host.example.org"));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   ", "plain", "@example.com", "a@", "a@b", "a@@b.com", "a@b@c.com", "a b@c.com",
      "a..b@c.com", ".a@c.com", "a.@c.com", "a@-c.com", "a@c-.com", "a@c..com", "a@c.123", "a@c.com.",
      "a(b)@c.com", "ü@c.com"})
  void shouldRejectWhenEmailIsMalformed(String raw) {
    AuthException e = assertThrows(AuthException.class, () -> EmailAddress.normalise(raw));
    assertEquals(AuthException.Code.INVALID_EMAIL, e.code());
  }

  @Test
  void shouldRejectWhenLocalPartIsTooLong() {
    String email = "a".repeat(EmailAddress.MAX_LOCAL_LENGTH + 1) + "@example.com";
    assertEquals(AuthException.Code.INVALID_EMAIL,
        assertThrows(AuthException.class, () -> EmailAddress.normalise(email)).code());
  }

  @Test
  void shouldRejectWhenWholeAddressIsTooLong() {
    String email = "a@" + ("b".repeat(60) + ".").repeat(5) + "com";
    assertEquals(AuthException.Code.INVALID_EMAIL,
        assertThrows(AuthException.class, () -> EmailAddress.normalise(email)).code());
  }
}
