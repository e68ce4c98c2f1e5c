package io.hyperinfer.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.testkit.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every {@code cenc} vector captured from compact-encoding 3.5.2: the exact bytes, back, and every prefix. */
class CompactVectorsTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Stream<Arguments> vectors() {
    return Stream.of(
        Arguments.of("uint 0", Compact.UINT, 0L),
        Arguments.of("uint 1", Compact.UINT, 1L),
        Arguments.of("uint 252", Compact.UINT, 252L),
        Arguments.of("uint 253", Compact.UINT, 253L),
        Arguments.of("uint 254", Compact.UINT, 254L),
        Arguments.of("uint 255", Compact.UINT, 255L),
        Arguments.of("uint 256", Compact.UINT, 256L),
        Arguments.of("uint 65535", Compact.UINT, 65535L),
        Arguments.of("uint 65536", Compact.UINT, 65536L),
        Arguments.of("uint 4294967295", Compact.UINT, 4294967295L),
        Arguments.of("uint 4294967296", Compact.UINT, 4294967296L),
        Arguments.of("uint16 49737", Compact.UINT16, 49737),
        Arguments.of("uint24 56", Compact.UINT24, 56),
        Arguments.of("uint32 1609267766", Compact.UINT32, 1609267766L),
        Arguments.of("uint64 2^40+5", Compact.UINT64, (1L << 40) + 5),
        Arguments.of("string \"protomux-rpc\"", Compact.STRING, "protomux-rpc"),
        Arguments.of("string \"h\u00e9llo\"", Compact.STRING, "h\u00e9llo"),
        Arguments.of("buffer \"hello\"", Compact.BUFFER, utf8("hello")),
        Arguments.of("buffer empty", Compact.BUFFER, new byte[0]),
        Arguments.of("optionalBuffer null", Compact.OPTIONAL_BUFFER, null),
        Arguments.of("optionalBuffer \"hi\"", Compact.OPTIONAL_BUFFER, utf8("hi")),
        Arguments.of("bool true", Compact.BOOL, true),
        Arguments.of("ipv4Address 127.0.0.1:49737", HostPort.IPV4, new HostPort("127.0.0.1", 49737)),
        Arguments.of("ipv4Address 88.99.3.86:49737", HostPort.IPV4, new HostPort("88.99.3.86", 49737)),
        Arguments.of("array(ipv4Address) 2 items", Compact.array(HostPort.IPV4),
            List.of(new HostPort("127.0.0.1", 49738), new HostPort("10.0.0.2", 1))),
        Arguments.of("ipv6Address ::1 port 5", HostPort.IPV6, new HostPort("0:0:0:0:0:0:0:1", 5)),
        Arguments.of("int -1", Compact.INT, -1L),
        Arguments.of("int 1", Compact.INT, 1L));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void shouldMatchJsBytesWhenEncodingVector(String name, Codec codec, Object value) {
    byte[] expected = Vectors.hex("/cenc/" + name);
    assertArrayEquals(expected, Compact.encode(codec, value));
    Object decoded = Compact.decode(codec, expected);
    if (value instanceof byte[] bytes) {
      assertArrayEquals(bytes, (byte[]) decoded);
    } else if (value == null) {
      assertNull(decoded);
    } else {
      assertEquals(value, decoded);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void shouldThrowDecodeExceptionWhenVectorIsTruncated(String name, Codec codec, Object value) {
    byte[] expected = Vectors.hex("/cenc/" + name);
    for (int n = 0; n < expected.length; n++) {
      Buf prefix = Buf.wrap(expected, 0, n);
      DecodeException e = assertThrows(DecodeException.class, () -> codec.decode(prefix), name + " prefix " + n);
      assertEquals(EncodingException.Code.TRUNCATED, e.code());
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void shouldIgnoreTrailingBytesWhenDecoding(String name, Codec codec, Object value) {
    byte[] expected = Vectors.hex("/cenc/" + name);
    byte[] longer = java.util.Arrays.copyOf(expected, expected.length + 3);
    Buf buf = Buf.wrap(longer);
    codec.decode(buf);
    assertEquals(3, buf.remaining());
  }
}
