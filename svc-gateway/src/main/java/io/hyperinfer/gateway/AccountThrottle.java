package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.throttle.KeyedRateLimiter;
import io.hyperinfer.worker.throttle.KeyedRateLimiter.Rate;
import java.time.Clock;
import java.time.Duration;

/**
 * Register and login throttled per remote key at the gateway, before anything is forwarded to Auth: a key flooding
 * either method is refused here with Auth's code ({@code ERR_TOO_MANY_ATTEMPTS}, {@code retryAfterSeconds}) and costs
 * Auth nothing. Config {@code gateway.throttle}: {@code login.burst} (20), {@code login.every} (3 s),
 * {@code register.burst} (10), {@code register.every} (1 min), {@code maxKeys} (100,000 per method, least recently
 * used dropped). Buckets are in memory: a restart refills them (Auth's stored backoff still holds). Thread-safe.
 */
final class AccountThrottle {
  static final String CODE = "ERR_TOO_MANY_ATTEMPTS";

  private final KeyedRateLimiter<String> login;
  private final KeyedRateLimiter<String> register;

  AccountThrottle(Config c, Clock clock) {
    int maxKeys = c.intValue("gateway.throttle.maxKeys", 100_000);
    login = new KeyedRateLimiter<>(rate(c, "login", 20, Duration.ofSeconds(3)), maxKeys, clock);
    register = new KeyedRateLimiter<>(rate(c, "register", 10, Duration.ofMinutes(1)), maxKeys, clock);
  }

  private static Rate rate(Config c, String method, int burst, Duration every) {
    return new Rate(c.intValue("gateway.throttle." + method + ".burst", burst),
        c.duration("gateway.throttle." + method + ".every", every));
  }

  /** Takes a token for {@code method} from {@code callerHex}'s bucket; ERR_TOO_MANY_ATTEMPTS when it is empty. */
  void check(String method, String callerHex) {
    KeyedRateLimiter<String> limiter = switch (method) {
      case "login" -> login;
      case "register" -> register;
      default -> null;
    };
    if (limiter == null) {
      return;
    }
    KeyedRateLimiter.Decision d = limiter.tryAcquire(callerHex);
    if (!d.allowed()) {
      long seconds = (d.retryAfter().toMillis() + 999) / 1000;
      ObjectNode details = Json.object().put("retryAfterSeconds", seconds);
      throw new NetException(CODE, "too many " + method + " attempts from this key; retry after " + seconds + " s",
          details);
    }
  }
}
