package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class KeyLimitsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldRoundTripWhenLimitsAreSet() throws Exception {
    KeyLimits limits = new KeyLimits(60, 10_000, 2, 1_000_000);
    assertEquals(limits, KeyLimits.fromJson(limits.toJson()));
    assertEquals(new KeyLimits(5, 0, 0, 0), KeyLimits.fromJson(JSON.readTree("{\"requestsPerMinute\":5}")));
  }

  @Test
  void shouldBeUnlimitedWhenLimitsAreAbsent() throws Exception {
    assertEquals(KeyLimits.UNLIMITED, KeyLimits.fromJson(null));
    assertEquals(KeyLimits.UNLIMITED, KeyLimits.fromJson(JSON.readTree("null")));
    assertEquals(KeyLimits.UNLIMITED, KeyLimits.fromJson(JSON.readTree("{}").path("limits")));
  }

  @Test
  void shouldRejectWhenLimitsAreMalformed() throws Exception {
    for (String json : new String[] {"[]", "{\"concurrency\":-1}", "{\"dailyTokens\":\"many\"}",
        "{\"tokensPerMinute\":1.5}", "{\"concurrency\":4294967296}", "{\"requestsPerMinute\":1e30}"}) {
      assertEquals(AuthException.Code.BAD_REQUEST,
          assertThrows(AuthException.class, () -> KeyLimits.fromJson(JSON.readTree(json))).code(), json);
    }
  }
}
