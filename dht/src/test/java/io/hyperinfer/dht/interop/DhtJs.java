package io.hyperinfer.dht.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.testkit.JsDriver;
import java.util.HexFormat;
import java.util.Map;

/** The JS dht-rpc driver ({@code src/test/js/dht-driver.js}) on testkit's {@link JsDriver}, and its value formats. */
final class DhtJs {
  private DhtJs() {}

  static JsDriver start() {
    return JsDriver.start("dht/src/test/js/dht-driver.js");
  }

  static Map<String, Object> addr(HostPort a) {
    return Map.of("host", a.host(), "port", a.port());
  }

  static HostPort addr(JsonNode a) {
    return new HostPort(a.get("host").asText(), a.get("port").asInt());
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  static byte[] bytes(JsonNode hex) {
    return hex == null || hex.isNull() ? null : HexFormat.of().parseHex(hex.asText());
  }
}
