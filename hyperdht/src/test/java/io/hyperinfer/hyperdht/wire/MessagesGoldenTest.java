package io.hyperinfer.hyperdht.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.testkit.Vectors;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every message against bytes the pinned JS produced ({@code src/test/js/messages-peer.js capture}, committed as
 * {@code vectors/hyperdht-messages.json}): Java encodes the same value to the same bytes, and decodes JS's bytes to
 * the value JS decodes them to.
 */
class MessagesGoldenTest {
  private static final HexFormat HEX = HexFormat.of();

  static JsonNode golden() {
    return Vectors.read(Path.of("src/test/resources/vectors/hyperdht-messages.json"));
  }

  @Test
  void shouldEncodeAndDecodeEveryGoldenCaseLikeJs() {
    Set<String> typesSeen = new HashSet<>();
    for (JsonNode c : golden().get("cases")) {
      String name = c.get("name").asText();
      JsShapes.Type<?> type = JsShapes.TYPES.get(c.get("type").asText());
      typesSeen.add(type.name());
      byte[] bytes = HEX.parseHex(c.get("hex").asText());
      Object decoded = type.codec().decode(Buf.wrap(bytes));
      JsonNode asJson = type.json(decoded);
      assertTrue(JsShapes.sameJson(c.get("value"), asJson), name + ": JS decoded " + c.get("value") + ", Java " + asJson);
      if (!c.path("decodeOnly").asBoolean()) {
        assertEquals(c.get("hex").asText(), HEX.formatHex(encode(type, c.get("value"))), name);
      }
    }
    assertEquals(JsShapes.TYPES.keySet(), typesSeen, "every message type has golden bytes");
  }

  @Test
  void shouldMatchSharedProtocolVectorsWhenEncoding() {
    int checked = 0;
    for (var e : Vectors.protocol().get("hyperdht").properties()) {
      // Keys read "<type> <description>", the type being the JS messages.js name.
      assertRoundTrip(JsShapes.TYPES.get(e.getKey().split(" ")[0]), e.getValue().asText());
      checked++;
    }
    assertEquals(11, checked);
    JsonNode ann = Vectors.protocol().get("announce");
    assertRoundTrip(JsShapes.TYPES.get("announce"), ann.get("announce value (flags=peer|signature)").asText());
    assertRoundTrip(JsShapes.TYPES.get("announce"), ann.get("unannounce value").asText());
    JsonNode mutable = Vectors.protocol().get("mutable");
    assertRoundTrip(JsShapes.TYPES.get("mutableSignable"), mutable.get("mutableSignable seq=1 value=hello").asText());
    assertRoundTrip(JsShapes.TYPES.get("mutablePutRequest"), mutable.get("mutablePutRequest").asText());
  }

  private static void assertRoundTrip(JsShapes.Type<?> type, String hex) {
    Object decoded = type.codec().decode(Buf.wrap(HEX.parseHex(hex)));
    assertEquals(hex, HEX.formatHex(encodeValue(type, decoded)), type.name());
  }

  @SuppressWarnings("unchecked")
  static <T> byte[] encode(JsShapes.Type<T> type, JsonNode json) {
    return Compact.encode(type.codec(), type.fromJson().apply(json));
  }

  @SuppressWarnings("unchecked")
  static <T> byte[] encodeValue(JsShapes.Type<T> type, Object value) {
    return Compact.encode(type.codec(), (T) value);
  }
}
