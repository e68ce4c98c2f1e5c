package io.hyperinfer.encoding;

import java.util.Arrays;

/**
 * A cursor over a byte array, the JS {@code state}: bytes between {@link #position()} and {@link #limit()} are
 * still to be read (decode) or written (encode). Every read checks bounds and throws {@link DecodeException};
 * every write checks bounds and throws {@link EncodingException} with {@code BUFFER_FULL}. Multi-byte integers
 * are little-endian. Not thread-safe: confined to the thread that encodes or decodes.
 */
public final class Buf {
  /** The largest uint the JS reference accepts (Number.MAX_SAFE_INTEGER). */
  public static final long MAX_SAFE_UINT = (1L << 53) - 1;

  private final byte[] bytes;
  private int position;
  private final int limit;

  private Buf(byte[] bytes, int position, int limit) {
    this.bytes = bytes;
    this.position = position;
    this.limit = limit;
  }

  /** A cursor over all of {@code bytes}. */
  public static Buf wrap(byte[] bytes) {
    return new Buf(bytes, 0, bytes.length);
  }

  /** A cursor over {@code bytes[offset .. offset+length)}. */
  public static Buf wrap(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset > bytes.length - length) {
      throw new IndexOutOfBoundsException("bad slice " + offset + "+" + length + " of " + bytes.length);
    }
    return new Buf(bytes, offset, offset + length);
  }

  /** A zeroed buffer of {@code length} bytes to encode into. */
  public static Buf allocate(int length) {
    return new Buf(new byte[length], 0, length);
  }

  /** The backing array (not a copy). */
  public byte[] array() {
    return bytes;
  }

  /** The cursor: the index in {@link #array()} of the next byte to read or write. */
  public int position() {
    return position;
  }

  /** The index just past the last readable or writable byte. */
  public int limit() {
    return limit;
  }

  /** Bytes left between the cursor and the limit. */
  public int remaining() {
    return limit - position;
  }

  /** Checks that {@code n} bytes are left to read. */
  public void require(int n) {
    if (limit - position < n) {
      throw DecodeException.truncated(n, limit - position);
    }
  }

  private void reserve(int n) {
    if (limit - position < n) {
      throw EncodingException.bufferFull(n, limit - position);
    }
  }

  /** Moves the cursor over {@code n} bytes to read. */
  public void skip(int n) {
    require(n);
    position += n;
  }

  /** One unsigned byte. */
  public int readUint8() {
    require(1);
    return bytes[position++] & 0xff;
  }

  /** A little-endian unsigned 16-bit integer. */
  public int readUint16() {
    require(2);
    int v = (bytes[position] & 0xff) | (bytes[position + 1] & 0xff) << 8;
    position += 2;
    return v;
  }

  /** A little-endian unsigned 24-bit integer. */
  public int readUint24() {
    require(3);
    int v = (bytes[position] & 0xff) | (bytes[position + 1] & 0xff) << 8 | (bytes[position + 2] & 0xff) << 16;
    position += 3;
    return v;
  }

  /** A little-endian unsigned 32-bit integer. */
  public long readUint32() {
    require(4);
    long v = (bytes[position] & 0xffL) | (bytes[position + 1] & 0xffL) << 8
        | (bytes[position + 2] & 0xffL) << 16 | (bytes[position + 3] & 0xffL) << 24;
    position += 4;
    return v;
  }

  /** A little-endian 64-bit integer, rejected above {@link #MAX_SAFE_UINT} as the JS reference does. */
  public long readUint64() {
    require(8);
    long low = readUint32();
    long high = readUint32();
    if (high > (MAX_SAFE_UINT >>> 32)) {
      throw DecodeException.outOfRange("uint64");
    }
    return high << 32 | low;
  }

  /** A compact-encoding varint: one byte up to 0xfc, else 0xfd/0xfe/0xff then 2/4/8 bytes. */
  public long readUint() {
    int first = readUint8();
    return switch (first) {
      case 0xfd -> readUint16();
      case 0xfe -> readUint32();
      case 0xff -> readUint64();
      default -> first;
    };
  }

  /** A varint used as a length or count: at most {@code cap}. */
  public int readLength(int cap) {
    long n = readUint();
    if (n > cap) {
      throw DecodeException.tooLarge(n, cap);
    }
    return (int) n;
  }

  /** A copy of the next {@code n} bytes. */
  public byte[] readBytes(int n) {
    require(n);
    byte[] out = Arrays.copyOfRange(bytes, position, position + n);
    position += n;
    return out;
  }

  /** Writes the low 8 bits of {@code v}. */
  public void writeUint8(int v) {
    reserve(1);
    bytes[position++] = (byte) v;
  }

  /** Writes the low 16 bits of {@code v}, little-endian. */
  public void writeUint16(int v) {
    reserve(2);
    bytes[position++] = (byte) v;
    bytes[position++] = (byte) (v >>> 8);
  }

  /** Writes the low 24 bits of {@code v}, little-endian. */
  public void writeUint24(int v) {
    reserve(3);
    bytes[position++] = (byte) v;
    bytes[position++] = (byte) (v >>> 8);
    bytes[position++] = (byte) (v >>> 16);
  }

  /** Writes the low 32 bits of {@code v}, little-endian. */
  public void writeUint32(long v) {
    reserve(4);
    bytes[position++] = (byte) v;
    bytes[position++] = (byte) (v >>> 8);
    bytes[position++] = (byte) (v >>> 16);
    bytes[position++] = (byte) (v >>> 24);
  }

  /** Writes {@code v} as 8 bytes, little-endian. */
  public void writeUint64(long v) {
    writeUint32(v);
    writeUint32(v >>> 32);
  }

  /** Writes {@code n} (0 .. {@link #MAX_SAFE_UINT}) as a compact-encoding varint in its shortest form. */
  public void writeUint(long n) {
    checkUint(n);
    if (n <= 0xfc) {
      writeUint8((int) n);
    } else if (n <= 0xffff) {
      writeUint8(0xfd);
      writeUint16((int) n);
    } else if (n <= 0xffffffffL) {
      writeUint8(0xfe);
      writeUint32(n);
    } else {
      writeUint8(0xff);
      writeUint64(n);
    }
  }

  /** Writes all of {@code src}. */
  public void writeBytes(byte[] src) {
    writeBytes(src, 0, src.length);
  }

  /** Writes {@code src[offset .. offset+length)}. */
  public void writeBytes(byte[] src, int offset, int length) {
    reserve(length);
    System.arraycopy(src, offset, bytes, position, length);
    position += length;
  }

  /** The length in bytes of {@code n} as a varint. */
  public static int uintLength(long n) {
    checkUint(n);
    return n <= 0xfc ? 1 : n <= 0xffff ? 3 : n <= 0xffffffffL ? 5 : 9;
  }

  static void checkUint(long n) {
    if (n < 0 || n > MAX_SAFE_UINT) {
      throw EncodingException.badValue("uint out of range: " + n);
    }
  }
}
