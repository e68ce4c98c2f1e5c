package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthExceptionTest {
  @Test
  void shouldMapEveryCodeToItsWireFormWhenRoundTripped() {
    for (AuthException.Code code : AuthException.Code.values()) {
      assertTrue(code.wire().startsWith("ERR_"));
      assertEquals(Optional.of(code), AuthException.Code.fromWire(code.wire()));
    }
    assertEquals("ERR_USER_EXISTS", AuthException.Code.USER_EXISTS.wire());
    assertEquals(Optional.empty(), AuthException.Code.fromWire("ERR_TIMEOUT"));
  }

  @Test
  void shouldCarryRetryAfterWhenTooManyAttempts() {
    AuthException e = AuthException.tooManyAttempts(Duration.ofSeconds(8));
    assertEquals(AuthException.Code.TOO_MANY_ATTEMPTS, e.code());
    assertEquals(Optional.of(Duration.ofSeconds(8)), e.retryAfter());
    assertEquals(Optional.empty(), AuthException.forbidden("no").retryAfter());
  }

  @Test
  void shouldNameRoleWhenParsedFromWire() {
    assertEquals(Role.ADMIN, Role.fromWire("admin"));
    assertEquals(AuthException.Code.BAD_REQUEST,
        org.junit.jupiter.api.Assertions.assertThrows(AuthException.class, () -> Role.fromWire("ADMIN")).code());
  }
}
