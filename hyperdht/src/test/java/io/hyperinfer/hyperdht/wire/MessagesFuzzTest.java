package io.hyperinfer.hyperdht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.DecodeException;
import io.hyperinfer.testkit.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile input for every decoder: {@code fuzz.iterations} cases each (100k by default), half random bytes and half
 * mutated valid encodings. A decoder either returns a value, which then re-encodes to canonical bytes that decode
 * and re-encode to themselves, or throws {@link DecodeException}; anything else is a bug.
 */
class MessagesFuzzTest {
  @Tag("fuzz")
  @Test
  void shouldOnlyThrowDecodeExceptionWhenEveryDecoderIsFuzzed() {
    SplittableRandom random = Seeds.random("MessagesFuzzTest");
    RandomMessages messages = new RandomMessages(random.split(), false);
    int iterations = Seeds.fuzzIterations();
    for (JsShapes.Type<?> type : JsShapes.TYPES.values()) {
      byte[][] valid = new byte[64][];
      for (int v = 0; v < valid.length; v++) {
        valid[v] = MessagesGoldenTest.encodeValue(type, messages.of(type.name()));
      }
      int accepted = 0;
      for (int i = 0; i < iterations; i++) {
        byte[] input = i % 2 == 0 ? Seeds.bytes(random, random.nextInt(120))
            : mutate(valid[random.nextInt(valid.length)], random);
        Object decoded;
        try {
          decoded = type.codec().decode(Buf.wrap(input));
        } catch (DecodeException expected) {
          continue;
        } catch (RuntimeException e) {
          fail(type.name() + " threw " + e + " on " + java.util.HexFormat.of().formatHex(input));
          return;
        }
        accepted++;
        byte[] again = MessagesGoldenTest.encodeValue(type, decoded);
        Object twice = type.codec().decode(Buf.wrap(again));
        assertArrayEquals(again, MessagesGoldenTest.encodeValue(type, twice), type.name());
      }
      assertTrue(accepted > 0, type.name() + " accepted no fuzz case: the mutations never reach its success path");
    }
  }

  private static byte[] mutate(byte[] valid, SplittableRandom random) {
    byte[] copy = Arrays.copyOf(valid, random.nextInt(valid.length + 1) + random.nextInt(3));
    for (int k = random.nextInt(4); k >= 0 && copy.length > 0; k--) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    return copy;
  }
}
