package io.hyperinfer.encoding;

/**
 * compact-encoding-bitfield: up to 64 booleans as a little-endian bit set, bit i being the i-th flag. Up to 7
 * bits take one byte; wider fields take a 0xfd/0xfe/0xff prefix and 2/4/8 bytes. Decoding follows the prefix
 * actually sent, so a wider field from a newer peer still decodes. Thread-safe.
 */
public final class Bitfield {
  private Bitfield() {}

  /** A codec for a field of {@code bits} flags (1 .. 64) carried as a long. */
  public static Codec<Long> of(int bits) {
    if (bits < 1 || bits > 64) {
      throw EncodingException.badValue("bitfield width must be 1..64: " + bits);
    }
    int width = bits < 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8;
    return new Codec<>() {
      @Override public int encodedLength(Long v) { return width == 1 ? 1 : 1 + width; }
      @Override public void encode(Long v, Buf buf) {
        if (bits < 64 && (v >>> bits) != 0) {
          throw EncodingException.badValue("flags wider than " + bits + " bits: " + v);
        }
        switch (width) {
          case 1 -> buf.writeUint8(v.intValue());
          case 2 -> { buf.writeUint8(0xfd); buf.writeUint16(v.intValue()); }
          case 4 -> { buf.writeUint8(0xfe); buf.writeUint32(v); }
          default -> { buf.writeUint8(0xff); buf.writeUint64(v); }
        }
      }
      @Override public Long decode(Buf buf) {
        int first = buf.readUint8();
        return switch (first) {
          case 0xfd -> (long) buf.readUint16();
          case 0xfe -> buf.readUint32();
          case 0xff -> readRaw64(buf);
          default -> (long) first;
        };
      }
    };
  }

  /** Whether flag {@code index} is set in {@code flags}. */
  public static boolean isSet(long flags, int index) {
    return (flags >>> index & 1) != 0;
  }

  /** {@code flags} with flag {@code index} set to {@code value}. */
  public static long with(long flags, int index, boolean value) {
    return value ? flags | 1L << index : flags & ~(1L << index);
  }

  private static long readRaw64(Buf buf) {
    long low = buf.readUint32();
    return buf.readUint32() << 32 | low;
  }
}
