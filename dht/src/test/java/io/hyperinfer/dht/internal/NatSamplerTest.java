package io.hyperinfer.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class NatSamplerTest {
  @Test
  void shouldAgreeWithJsNatSamplerOnEverySampleSequence() {
    int cases = 0;
    for (JsonNode steps : JsGolden.get("nat")) {
      NatSampler s = new NatSampler();
      int i = 0;
      for (JsonNode step : steps) {
        s.add(step.get(0).asText(), step.get(1).asInt());
        String expectedHost = step.get(2).isNull() ? null : step.get(2).asText();
        assertEquals(expectedHost, s.host(), "case " + cases + " step " + i);
        assertEquals(step.get(3).asInt(), s.port(), "case " + cases + " step " + i);
        i++;
      }
      cases++;
    }
    assertEquals(40, cases);
  }

  @Test
  void shouldReportHostWithPortZeroWhenPortsKeepChanging() {
    NatSampler s = new NatSampler();
    assertNull(s.host());
    for (int p = 1; p <= 8; p++) {
      s.add("9.9.9.9", 1000 + p);
    }
    assertEquals("9.9.9.9", s.host());
    assertEquals(0, s.port());
    assertEquals(8, s.size());
  }
}
