package io.hyperinfer.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BitfieldTest {
  @Test
  void shouldWriteOneByteLeastSignificantFirstWhenNarrow() {
    long flags = Bitfield.with(Bitfield.with(0, 0, true), 2, true);
    assertArrayEquals(new byte[] {5}, Compact.encode(Bitfield.of(3), flags));
    assertTrue(Bitfield.isSet(flags, 2));
    assertFalse(Bitfield.isSet(Bitfield.with(flags, 2, false), 2));
  }

  @Test
  void shouldUsePrefixWhenWide() {
    assertArrayEquals(HexFormat.of().parseHex("fd0101"), Compact.encode(Bitfield.of(16), 0x101L));
    assertArrayEquals(HexFormat.of().parseHex("fe01000080"), Compact.encode(Bitfield.of(32), 0x80000001L));
    byte[] wide = Compact.encode(Bitfield.of(64), -1L);
    assertEquals(9, wide.length);
    assertEquals(-1L, Compact.decode(Bitfield.of(64), wide));
    assertEquals(0x101L, Compact.decode(Bitfield.of(3), HexFormat.of().parseHex("fd0101")));
    assertEquals(0x80000001L, Compact.decode(Bitfield.of(3), HexFormat.of().parseHex("fe01000080")));
  }

  @Test
  void shouldRejectWhenFlagsExceedWidthOrWidthInvalid() {
    assertThrows(EncodingException.class, () -> Compact.encode(Bitfield.of(3), 8L));
    assertThrows(EncodingException.class, () -> Bitfield.of(0));
    assertThrows(EncodingException.class, () -> Bitfield.of(65));
    assertThrows(DecodeException.class, () -> Compact.decode(Bitfield.of(16), HexFormat.of().parseHex("fd01")));
  }
}
