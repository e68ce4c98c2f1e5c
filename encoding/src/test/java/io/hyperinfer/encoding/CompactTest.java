package io.hyperinfer.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.Seeds;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CompactTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void shouldRoundTripRandomValuesWhenEncodingEveryNumericCodec() {
    SplittableRandom random = Seeds.random("CompactTest.numeric");
    for (int i = 0; i < 10_000; i++) {
      long uint = random.nextLong(Buf.MAX_SAFE_UINT + 1) >>> random.nextInt(53);
      assertEquals(uint, Compact.decode(Compact.UINT, Compact.encode(Compact.UINT, uint)));
      assertEquals(uint, Compact.decode(Compact.UINT64, Compact.encode(Compact.UINT64, uint)));
      long signed = (random.nextLong(1L << 53) - (1L << 52)) >> random.nextInt(53);
      assertEquals(signed, Compact.decode(Compact.INT, Compact.encode(Compact.INT, signed)));
      long u32 = random.nextLong(1L << 32);
      assertEquals(u32, Compact.decode(Compact.UINT32, Compact.encode(Compact.UINT32, u32)));
      int u24 = random.nextInt(1 << 24);
      assertEquals(u24, Compact.decode(Compact.UINT24, Compact.encode(Compact.UINT24, u24)));
    }
  }

  @Test
  void shouldRoundTripBytesAndStringsWhenEncoded() {
    SplittableRandom random = Seeds.random("CompactTest.bytes");
    for (int i = 0; i < 1_000; i++) {
      byte[] b = Seeds.bytes(random, random.nextInt(70_000));
      assertArrayEquals(b, Compact.decode(Compact.BUFFER, Compact.encode(Compact.BUFFER, b)));
      StringBuilder s = new StringBuilder();
      for (int j = random.nextInt(40); j > 0; j--) {
        s.appendCodePoint(random.nextInt(4) == 0 ? 0x10000 + random.nextInt(0x10000) : random.nextInt(0xd800));
      }
      assertEquals(s.toString(), Compact.decode(Compact.STRING, Compact.encode(Compact.STRING, s.toString())));
    }
  }

  @Test
  void shouldWriteReplacementCharacterWhenStringHasLoneSurrogate() {
    assertArrayEquals(hex("0461efbfbd"), Compact.encode(Compact.STRING, "a\ud800"));
    assertArrayEquals(hex("03efbfbd"), Compact.encode(Compact.STRING, "\udc00"));
    assertArrayEquals(hex("03c3a961"), Compact.encode(Compact.STRING, "\u00e9a"));
  }

  @Test
  void shouldDecodeNonShortestUintWhenPeerSendsIt() {
    assertEquals(5L, Compact.decode(Compact.UINT, hex("fd0500")));
    assertEquals(5L, Compact.decode(Compact.UINT, hex("fe05000000")));
    assertEquals(5L, Compact.decode(Compact.UINT, hex("ff0500000000000000")));
  }

  @Test
  void shouldRejectUintWhenAboveJsSafeInteger() {
    DecodeException e = assertThrows(DecodeException.class,
        () -> Compact.decode(Compact.UINT, hex("ff0000000000002000")));
    assertEquals(EncodingException.Code.OUT_OF_RANGE, e.code());
    assertEquals(Buf.MAX_SAFE_UINT, Compact.decode(Compact.UINT, hex("ffffffffffffff1f00")));
  }

  @Test
  void shouldRejectValuesWhenEncoderCannotRepresentThem() {
    assertEquals(EncodingException.Code.BAD_VALUE,
        assertThrows(EncodingException.class, () -> Compact.encode(Compact.UINT, -1L)).code());
    assertThrows(EncodingException.class, () -> Compact.encode(Compact.UINT64, 1L << 53));
    assertThrows(EncodingException.class, () -> Compact.encode(Compact.INT, 1L << 52));
    assertThrows(EncodingException.class, () -> Compact.encode(Compact.UINT8, 256));
    assertThrows(EncodingException.class, () -> Compact.encode(Compact.UINT16, -1));
    assertThrows(EncodingException.class, () -> Compact.encode(Compact.UINT32, 1L << 32));
    assertThrows(EncodingException.class, () -> Compact.encode(Compact.FIXED32, new byte[31]));
    assertThrows(EncodingException.class, () -> new HostPort("1.2.3.4", 65536));
    assertThrows(EncodingException.class, () -> Compact.encode(HostPort.IPV4, new HostPort("example.org", 1)));
    assertThrows(EncodingException.class, () -> Compact.encode(HostPort.IPV4, new HostPort("::1", 1)));
    assertThrows(EncodingException.class, () -> Compact.encode(HostPort.IPV6, new HostPort("1.2.3.4", 1)));
  }

  @Test
  void shouldRejectLengthPrefixWhenAboveCapBeforeAllocating() {
    byte[] huge = hex("fe00000010");
    assertEquals(EncodingException.Code.TOO_LARGE,
        assertThrows(DecodeException.class, () -> Compact.decode(Compact.BUFFER, huge)).code());
    assertEquals(EncodingException.Code.TOO_LARGE,
        assertThrows(DecodeException.class, () -> Compact.decode(Compact.STRING, huge)).code());
    byte[] manyItems = hex("fe01001000");
    assertEquals(EncodingException.Code.TOO_LARGE, assertThrows(DecodeException.class,
        () -> Compact.decode(Compact.array(Compact.UINT), manyItems)).code());
  }

  @Test
  void shouldDecodeMaximumArrayCountWhenItemsArePresent() {
    List<Boolean> flags = new ArrayList<>();
    for (int i = 0; i < Compact.MAX_ARRAY_COUNT; i++) {
      flags.add(i % 3 == 0);
    }
    Codec<List<Boolean>> codec = Compact.array(Compact.BOOL);
    assertEquals(flags, Compact.decode(codec, Compact.encode(codec, flags)));
  }

  @Test
  void shouldTreatEmptyAsNullWhenDecodingOptionalBuffer() {
    assertNull(Compact.decode(Compact.OPTIONAL_BUFFER, hex("00")));
    assertArrayEquals(new byte[0], Compact.decode(Compact.BUFFER, hex("00")));
  }

  @Test
  void shouldDecodeTrueOnlyWhenByteIsOne() {
    assertTrue(Compact.decode(Compact.BOOL, hex("01")));
    assertFalse(Compact.decode(Compact.BOOL, hex("02")));
    assertFalse(Compact.decode(Compact.BOOL, hex("00")));
  }

  @Test
  void shouldTakeRestWhenDecodingRaw() {
    Buf buf = Buf.wrap(hex("0102030405"));
    buf.skip(2);
    assertArrayEquals(hex("030405"), Compact.RAW.decode(buf));
    assertEquals(0, buf.remaining());
    assertArrayEquals(hex("0a0b"), Compact.encode(Compact.RAW, hex("0a0b")));
  }

  @Test
  void shouldRoundTripFixedWidthsWhenEncoded() {
    byte[] key = new byte[32];
    key[31] = 7;
    assertArrayEquals(key, Compact.decode(Compact.FIXED32, Compact.encode(Compact.FIXED32, key)));
    byte[] sig = new byte[64];
    sig[0] = 9;
    assertArrayEquals(sig, Compact.decode(Compact.FIXED64, Compact.encode(Compact.FIXED64, sig)));
    assertEquals(200, Compact.decode(Compact.UINT8, Compact.encode(Compact.UINT8, 200)));
    assertEquals(Boolean.FALSE, Compact.decode(Compact.BOOL, Compact.encode(Compact.BOOL, false)));
  }

  @Test
  void shouldPrintLongFormWhenDecodingIpv6() {
    HostPort a = new HostPort("2001:db8::ff00:42:8329", 443);
    HostPort decoded = Compact.decode(HostPort.IPV6, Compact.encode(HostPort.IPV6, a));
    assertEquals(new HostPort("2001:db8:0:0:0:ff00:42:8329", 443), decoded);
  }
}
