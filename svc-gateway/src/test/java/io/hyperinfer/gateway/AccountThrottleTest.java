package io.hyperinfer.gateway;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.net.NetException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountThrottleTest {
  private static final String KEY = "0a".repeat(32);
  private static final String OTHER = "0b".repeat(32);
  private final ManualClock clock = new ManualClock();

  private AccountThrottle throttle(String... overrides) {
    return new AccountThrottle(ConfigLoader.withOverrides(Config.empty(), List.of(overrides)), clock);
  }

  @Test
  void shouldRefuseAKeyWithAuthsCodeWhenItExhaustsItsLoginBurst() {
    AccountThrottle t = throttle("gateway.throttle.login.burst=3", "gateway.throttle.login.every=2s");
    for (int i = 0; i < 3; i++) {
      t.check("login", KEY);
    }

    NetException refused = assertThrows(NetException.class, () -> t.check("login", KEY));

    assertEquals(AccountThrottle.CODE, refused.code());
    assertEquals(2, refused.details().path("retryAfterSeconds").asLong());
    assertDoesNotThrow(() -> t.check("login", OTHER), "another key has its own bucket");
    assertDoesNotThrow(() -> t.check("register", KEY), "register has its own bucket");
    clock.advance(Duration.ofSeconds(2));
    assertDoesNotThrow(() -> t.check("login", KEY), "refilled");
  }

  @Test
  void shouldThrottleRegisterSeparatelyAndLeaveOtherMethodsAloneWhenDefaultsApply() {
    AccountThrottle t = throttle();
    for (int i = 0; i < 10; i++) {
      t.check("register", KEY);
    }
    NetException refused = assertThrows(NetException.class, () -> t.check("register", KEY));
    assertEquals(60, refused.details().path("retryAfterSeconds").asLong());
    for (int i = 0; i < 100; i++) {
      t.check("createApiKey", KEY);
    }
  }

  @Test
  void shouldForgetTheOldestKeyWhenMoreKeysThanTheBoundCall() {
    AccountThrottle t = throttle("gateway.throttle.register.burst=1", "gateway.throttle.maxKeys=1");
    t.check("register", KEY);
    assertThrows(NetException.class, () -> t.check("register", KEY));
    t.check("register", OTHER);
    assertDoesNotThrow(() -> t.check("register", KEY), "its bucket was evicted: the state stays bounded");
  }
}
