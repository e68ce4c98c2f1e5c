package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.store.DiskStoreFacility;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.memory.MemoryNetFacility;
import io.hyperinfer.worker.store.MemoryStoreFacility;
import io.hyperinfer.worker.store.RangeOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 finding 4, probed again through Auth's RPC methods (in-memory net, the store on disk where persistence
 * matters, a manual clock so hours of guessing take no time). Each probe is bounded in count. What must hold: a
 * stranger's guesses, from one key or many, never lock the owner out; login and register replies do not tell an
 * existing email from an unknown one beyond what registration must say (ERR_USER_EXISTS); backoff survives a restart;
 * a refused attempt writes nothing.
 */
@Timeout(120)
class AuthAbuseIT {
  @TempDir
  Path dir;

  private static ObjectNode credentials(String email, String password) {
    return Json.object().put("email", email).put("password", password);
  }

  /** One login attempt; the error code, or "ok". Waits out the backoff (on the manual clock) when told to. */
  private static String attempt(AuthHarness h, MemoryNetFacility from, ObjectNode payload, boolean waitOut) {
    try {
      h.call(from, "login", payload);
      return "ok";
    } catch (NetException e) {
      if (waitOut && e.code().equals("ERR_TOO_MANY_ATTEMPTS")) {
        h.clock.advance(Duration.ofSeconds(e.details().path("retryAfterSeconds").asLong()));
      }
      return e.code();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void shouldLetOwnerInWhenStrangerGuessesHundredTimesAcrossRestart() throws Exception {
    try (AuthHarness h = new AuthHarness(() -> new DiskStoreFacility(dir))) {
      h.register("ann@example.com");
      MemoryNetFacility stranger = h.peer("stranger");
      int refused = 0;
      for (int i = 0; i < 100; i++) {
        if (i == 50) {
          h.restart();
        }
        String code = attempt(h, stranger, credentials("ann@example.com", "guess-Number-" + i), true);
        refused += code.equals("ERR_TOO_MANY_ATTEMPTS") ? 1 : 0;
        assertTrue(code.equals("ERR_INVALID_CREDENTIALS") || code.equals("ERR_TOO_MANY_ATTEMPTS"), code);
      }
      assertTrue(refused > 40, "the stranger is backed off, restart or not: " + refused + " of 100 refused");
      assertEquals("ERR_TOO_MANY_ATTEMPTS", attempt(h, stranger, credentials("ann@example.com",
          AuthHarness.PASSWORD), false), "even the right password, from the locked-out stranger");
      assertEquals("ok", attempt(h, h.user, credentials("ann@example.com", AuthHarness.PASSWORD), false),
          "the owner gets in at once");
      stranger.stop();
    }
  }

  @Test
  void shouldPaceManyKeyGuesserButNotKnownOwnerWhenGuessesComeFromFiftyKeys() throws Exception {
    try (AuthHarness h = new AuthHarness()) {
      h.register("ann@example.com");
      h.login("ann@example.com"); // the owner's key is now known to the account
      int refused = 0;
      for (int i = 0; i < 50; i++) { // each through the gateway with a fresh client key: no pair ever locks
        ObjectNode guess = credentials("ann@example.com", "guess-Number-" + i).put("clientKey",
            String.format("%064x", i + 1));
        refused += attempt(h, h.gateway, guess, false).equals("ERR_TOO_MANY_ATTEMPTS") ? 1 : 0;
      }
      assertTrue(refused >= 40, "the account-wide slow-down refused " + refused + " of 50");
      assertEquals("ok", attempt(h, h.user, credentials("ann@example.com", AuthHarness.PASSWORD), false));
    }
  }

  @Test
  void shouldAnswerAlikeWhenLoginNamesExistingOrUnknownEmail() throws Exception {
    try (AuthHarness h = new AuthHarness()) {
      h.register("ann@example.com");
      for (int i = 0; i < 6; i++) {
        NetException known = h.error(h.user, "login", credentials("ann@example.com", "guess-Number-" + i));
        NetException unknown = h.error(h.user, "login", credentials("nobody@example.com", "guess-Number-" + i));
        assertEquals(known.code(), unknown.code(), "attempt " + i);
        assertEquals(known.getMessage(), unknown.getMessage());
        assertEquals(String.valueOf(known.details()), String.valueOf(unknown.details()));
      }
    }
  }

  @Test
  void shouldThrottleRegistrationsOfOneSourceAlikeWhenEmailsExistOrNot() throws Exception {
    try (AuthHarness h = new AuthHarness()) {
      var tight = new io.hyperinfer.worker.throttle.KeyedRateLimiter.Rate(3, Duration.ofMinutes(1));
      h.reconfigure(TestStores.settings().withAbuse(TestStores.settings().abuse().withRates(TestStores.LOOSE, tight)));
      h.register("ann@example.com");
      MemoryNetFacility prober = h.peer("prober");
      List<String> codes = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String email = i % 2 == 0 ? "ann@example.com" : "new-" + i + "@example.com";
        try {
          h.call(prober, "register", credentials(email, AuthHarness.PASSWORD));
          codes.add("ok");
        } catch (NetException e) {
          codes.add(e.code());
        }
      }
      assertEquals(List.of("ERR_USER_EXISTS", "ok", "ERR_USER_EXISTS"), codes.subList(0, 3));
      assertEquals(List.of("ERR_TOO_MANY_ATTEMPTS"), codes.subList(3, 10).stream().distinct().toList(),
          "past the burst every probe gets the same refusal");
      prober.stop();
    }
  }

  @Test
  void shouldWriteNothingWhenRequestIsRefused() throws Exception {
    MemoryStoreFacility store = new MemoryStoreFacility();
    try (AuthHarness h = new AuthHarness(() -> store)) {
      h.register("ann@example.com");
      for (int i = 0; i < 4; i++) {
        h.error(h.user, "login", credentials("ann@example.com", "guess-Number-" + i));
      }
      List<String> before = snapshot(store);
      for (int i = 0; i < 20; i++) {
        assertEquals("ERR_TOO_MANY_ATTEMPTS", h.error(h.user, "login", credentials("ann@example.com",
            AuthHarness.PASSWORD)).code());
        assertEquals("ERR_WEAK_PASSWORD", h.error(h.user, "register", credentials("bob@example.com",
            "password12")).code());
      }
      assertEquals(before, snapshot(store));
    }
  }

  private static List<String> snapshot(MemoryStoreFacility store) {
    return store.bee(AuthStore.BEE).range(RangeOptions.all()).stream()
        .map(e -> e.keyString() + "=" + new String(e.value(), java.nio.charset.StandardCharsets.UTF_8)).toList();
  }
}
