package io.hyperinfer.hyperdht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.DecodeException;
import io.hyperinfer.testkit.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Round trips and truncation for every message, over seeded random values. */
class MessagesPropertyTest {
  private static final int VALUES_PER_TYPE = 2_000;

  @Test
  void shouldRoundTripEveryMessageWhenEncodedAndDecoded() {
    RandomMessages messages = new RandomMessages(Seeds.random("MessagesPropertyTest.roundTrip"), false);
    for (JsShapes.Type<?> type : JsShapes.TYPES.values()) {
      for (int i = 0; i < VALUES_PER_TYPE; i++) {
        Object value = messages.of(type.name());
        byte[] bytes = MessagesGoldenTest.encodeValue(type, value);
        Buf buf = Buf.wrap(bytes);
        Object back = type.codec().decode(buf);
        assertEquals(0, buf.remaining(), type.name() + " left bytes unread");
        assertTrue(JsShapes.sameJson(type.json(value), type.json(back)), type.name() + ": " + type.json(value));
        assertArrayEquals(bytes, MessagesGoldenTest.encodeValue(type, back), type.name());
      }
    }
  }

  @Test
  void shouldThrowDecodeExceptionForEveryProperPrefix() {
    RandomMessages messages = new RandomMessages(Seeds.random("MessagesPropertyTest.truncation"), false);
    for (JsShapes.Type<?> type : JsShapes.TYPES.values()) {
      for (int i = 0; i < VALUES_PER_TYPE / 10; i++) {
        Object value = messages.of(type.name());
        byte[] bytes = MessagesGoldenTest.encodeValue(type, value);
        for (int n = 0; n < bytes.length; n++) {
          byte[] prefix = Arrays.copyOf(bytes, n);
          try {
            Object decoded = Compact.decode(type.codec(), prefix);
            // Only a trailing optional field may be missing: the lookup bump, the address flags.
            assertTrue(isOptionalTail(type.name(), value, decoded, n, bytes.length),
                type.name() + " decoded a " + n + "-byte prefix of " + bytes.length);
          } catch (DecodeException expected) {
            // the contract
          } catch (RuntimeException e) {
            fail(type.name() + " threw " + e + " on a " + n + "-byte prefix");
          }
        }
      }
    }
  }

  private static boolean isOptionalTail(String type, Object value, Object decoded, int n, int length) {
    return switch (type) {
      case "lookupRawReply" -> ((LookupReply) decoded).bump() == 0
          && n == length - io.hyperinfer.encoding.Buf.uintLength(((LookupReply) value).bump());
      case "hyperdhtAddress" -> n == 32 && ((HyperDhtAddress) decoded).nodes() == null;
      default -> false;
    };
  }
}
