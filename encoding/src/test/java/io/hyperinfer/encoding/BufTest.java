package io.hyperinfer.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BufTest {
  @Test
  void shouldReadWithinSliceWhenWrappedWithOffset() {
    byte[] bytes = {9, 1, 2, 3, 9};
    Buf buf = Buf.wrap(bytes, 1, 3);
    assertSame(bytes, buf.array());
    assertEquals(1, buf.position());
    assertEquals(4, buf.limit());
    assertEquals(0x030201, buf.readUint24());
    assertThrows(DecodeException.class, buf::readUint8);
  }

  @Test
  void shouldRejectSliceWhenOutOfArray() {
    assertThrows(IndexOutOfBoundsException.class, () -> Buf.wrap(new byte[2], 1, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> Buf.wrap(new byte[2], -1, 1));
  }

  @Test
  void shouldReportBufferFullWhenWritingPastLimit() {
    Buf buf = Buf.allocate(3);
    buf.writeUint16(0xbeef);
    EncodingException e = assertThrows(EncodingException.class, () -> buf.writeUint16(1));
    assertEquals(EncodingException.Code.BUFFER_FULL, e.code());
    buf.writeUint8(7);
    assertArrayEquals(new byte[] {(byte) 0xef, (byte) 0xbe, 7}, buf.array());
  }

  @Test
  void shouldReadLittleEndianWhenDecodingFixedIntegers() {
    Buf buf = Buf.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 0, 9, 10});
    assertEquals(0x0201, buf.readUint16());
    assertEquals(0x06050403L, buf.readUint32());
    buf.skip(2);
    assertEquals(2, buf.remaining());
    assertThrows(DecodeException.class, () -> buf.skip(3));
    assertEquals(9, buf.readLength(10));
    assertEquals(EncodingException.Code.TOO_LARGE,
        assertThrows(DecodeException.class, () -> buf.readLength(9)).code());
  }
}
