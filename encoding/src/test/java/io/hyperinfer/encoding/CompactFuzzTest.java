package io.hyperinfer.encoding;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.Seeds;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Random and mutated input to every decoder: a value or a {@link DecodeException}, nothing else. */
class CompactFuzzTest {
  record Sample<T>(Codec<T> codec, T value) {}

  static Stream<Arguments> decoders() {
    return Stream.of(
        Arguments.of("uint", new Sample<>(Compact.UINT, 1L << 40)),
        Arguments.of("uint64", new Sample<>(Compact.UINT64, 1L << 50)),
        Arguments.of("int", new Sample<>(Compact.INT, -70_000L)),
        Arguments.of("uint32", new Sample<>(Compact.UINT32, 70_000L)),
        Arguments.of("uint24", new Sample<>(Compact.UINT24, 70_000)),
        Arguments.of("buffer", new Sample<>(Compact.BUFFER, new byte[300])),
        Arguments.of("optionalBuffer", new Sample<>(Compact.OPTIONAL_BUFFER, new byte[3])),
        Arguments.of("string", new Sample<>(Compact.STRING, "h\u00e9llo \ud83d\ude00")),
        Arguments.of("fixed32", new Sample<>(Compact.FIXED32, new byte[32])),
        Arguments.of("ipv4", new Sample<>(HostPort.IPV4, new HostPort("10.1.2.3", 99))),
        Arguments.of("ipv6", new Sample<>(HostPort.IPV6, new HostPort("::1", 99))),
        Arguments.of("bitfield", new Sample<>(Bitfield.of(40), 0x8000000001L)),
        Arguments.of("array", new Sample<>(Compact.array(Compact.STRING), List.of("a", "bc", ""))));
  }

  @Tag("fuzz")
  @ParameterizedTest(name = "{0}")
  @MethodSource("decoders")
  <T> void shouldThrowOnlyDecodeExceptionWhenInputIsHostile(String name, Sample<T> sample) {
    SplittableRandom random = Seeds.random("CompactFuzzTest." + name);
    byte[] valid = Compact.encode(sample.codec(), sample.value());
    int decoded = 0;
    for (int i = 0; i < Seeds.fuzzIterations(); i++) {
      byte[] input = i % 2 == 0 ? Seeds.bytes(random, random.nextInt(24)) : mutate(valid, random);
      try {
        sample.codec().decode(Buf.wrap(input));
        decoded++;
      } catch (DecodeException expected) {
        // the only permitted failure
      }
    }
    assertTrue(decoded > 0, "some inputs should decode");
  }

  private static byte[] mutate(byte[] valid, SplittableRandom random) {
    byte[] out = valid.clone();
    for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
      out[random.nextInt(out.length)] = (byte) random.nextInt(256);
    }
    int cut = random.nextInt(4) == 0 ? random.nextInt(out.length + 1) : out.length;
    return java.util.Arrays.copyOf(out, cut);
  }
}
