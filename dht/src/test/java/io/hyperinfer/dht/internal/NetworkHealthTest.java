package io.hyperinfer.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class NetworkHealthTest {
  @Test
  void shouldAgreeWithJsHealthOnEveryTick() {
    int ticks = 0;
    for (JsonNode seq : JsGolden.get("health")) {
      NetworkHealth h = new NetworkHealth();
      long responses = 0;
      long timeouts = 0;
      for (JsonNode tick : seq) {
        if (tick.get(0).isTextual()) {
          h.reset();
          assertEquals(tick.get(1).asBoolean(), h.online());
          assertEquals(tick.get(2).asBoolean(), h.degraded());
          continue;
        }
        responses += tick.get(0).asLong();
        timeouts += tick.get(1).asLong();
        NetworkHealth.State state = h.update(responses, timeouts);
        assertEquals(tick.get(2).asBoolean(), h.online(), "tick " + ticks);
        assertEquals(tick.get(3).asBoolean(), h.degraded(), "tick " + ticks);
        String event = tick.get(4).isNull() ? null : tick.get(4).asText();
        assertEquals(event, state == null ? null : state.name().toLowerCase(), "tick " + ticks);
        ticks++;
      }
    }
    assertEquals(true, ticks > 300);
  }
}
