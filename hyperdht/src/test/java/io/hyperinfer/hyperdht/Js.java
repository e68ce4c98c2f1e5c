package io.hyperinfer.hyperdht;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.testkit.JsDriver;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The hyperdht JS driver ({@code src/test/js/hyperdht-driver.js}) and the conversions its calls need. */
final class Js {
  private Js() {}

  static JsDriver driver() {
    return JsDriver.start("hyperdht/src/test/js/hyperdht-driver.js");
  }

  static Map<String, Object> addr(HostPort a) {
    return Map.of("host", a.host(), "port", a.port());
  }

  static List<Map<String, Object>> addrs(List<HostPort> list) {
    return list.stream().map(Js::addr).toList();
  }

  static HostPort addr(JsonNode a) {
    return new HostPort(a.get("host").asText(), a.get("port").asInt());
  }

  static List<HostPort> addrs(JsonNode array) {
    List<HostPort> out = new ArrayList<>();
    array.forEach(a -> out.add(addr(a)));
    return out;
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  static byte[] bytes(JsonNode hex) {
    return hex == null || hex.isNull() ? null : HexFormat.of().parseHex(hex.asText());
  }
}
